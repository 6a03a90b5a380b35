using OpenAutoGlm.Core;

namespace OpenAutoGlm.Optimizer.Passes;

/// <summary>
/// An inference-mode BatchNormalization with constant parameters as a per-channel affine map
/// y = x·s + t over axis 1, where s = scale / sqrt(var + epsilon) and t = bias − mean·s.
/// </summary>
internal sealed record BatchNormConstants(double[] Scale, double[] Shift, DataType ElementType)
{
    public int Channels => Scale.Length;

    /// <summary>The affine form of <paramref name="bn"/>, or null when it is not an inference-mode BN over constants.</summary>
    public static BatchNormConstants? TryGet(GraphEditor editor, Node bn)
    {
        if (bn.Domain.Length != 0 || bn.OpType != "BatchNormalization" || bn.Inputs.Count < 5 || !bn.HasInput(0)
            || bn.Attributes.GetInt("training_mode", 0) != 0 || bn.Attributes.GetInt("spatial", 1) != 1)
        {
            return null;
        }

        // Training outputs (running mean/var, saved stats) must be absent or unread.
        if (bn.Outputs.Skip(1).Any(o => o.Length > 0 && (editor.IsGraphOutput(o) || editor.Consumers(o).Count > 0)))
        {
            return null;
        }

        var p = new Tensor[4];
        for (int i = 0; i < 4; i++)
        {
            if (editor.Constant(bn.InputOrEmpty(i + 1)) is not { Rank: 1 } t || !ConstantMath.IsFoldableFloat(t.DataType))
            {
                return null;
            }

            p[i] = t;
        }

        int c = p[0].Length;
        if (p.Any(t => t.Length != c))
        {
            return null;
        }

        double eps = bn.Attributes.GetFloat("epsilon", 1e-5f);
        var (gamma, beta, mean, var) = (p[0].ToDoubleArray(), p[1].ToDoubleArray(), p[2].ToDoubleArray(), p[3].ToDoubleArray());
        var s = new double[c];
        var shift = new double[c];
        for (int k = 0; k < c; k++)
        {
            s[k] = gamma[k] / Math.Sqrt(var[k] + eps);
            shift[k] = beta[k] - (mean[k] * s[k]);
        }

        return new BatchNormConstants(s, shift, p[0].DataType);
    }
}
