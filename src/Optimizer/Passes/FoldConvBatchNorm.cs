using OpenAutoGlm.Core;

namespace OpenAutoGlm.Optimizer.Passes;

/// <summary>
/// Conv followed by an inference BatchNormalization folds into the Conv: with the BN as y = x·s + t per output
/// channel, W'[m] = W[m]·s[m] and B'[m] = B[m]·s[m] + t[m] (B = 0 when absent). The Conv then produces the BN's
/// output. Needs constant W, B and BN parameters of one float type and the Conv output read only by the BN.
/// </summary>
public sealed class FoldConvBatchNorm : NodeRewritePass
{
    public override string Name => "fold-conv-batchnorm";

    protected override bool TryRewrite(GraphEditor editor, Node node)
    {
        if (BatchNormConstants.TryGet(editor, node) is not { } bn
            || editor.Producer(node.Inputs[0]) is not { } conv
            || !ConvWeights.TryGet(editor, conv, bn.Channels, out var weights, out var bias)
            || weights.DataType != bn.ElementType
            || !editor.HasSingleUse(conv.Outputs[0]))
        {
            return false;
        }

        var b = bias?.ToDoubleArray() ?? new double[bn.Channels];
        for (int m = 0; m < b.Length; m++)
        {
            b[m] = (b[m] * bn.Scale[m]) + bn.Shift[m];
        }

        ConvWeights.Replace(editor, conv, ConstantMath.ScaleAlongAxis0(weights, bn.Scale), ConstantMath.Create(weights.DataType, b, [b.Length]));
        editor.RemoveNode(node);
        conv.Outputs[0] = node.Outputs[0];
        editor.Invalidate();
        return true;
    }
}

/// <summary>The constant weights and bias of a plain Conv (weights [M, C/group, k...], output channels on axis 1).</summary>
internal static class ConvWeights
{
    public static bool TryGet(GraphEditor editor, Node conv, int channels, out Tensor weights, out Tensor? bias)
    {
        weights = null!;
        bias = null;
        if (conv.Domain.Length != 0 || conv.OpType != "Conv" || conv.Outputs.Count != 1 || !conv.HasInput(1)
            || editor.Constant(conv.Inputs[1]) is not { Rank: >= 3 } w || w.Dims[0] != channels || !ConstantMath.IsFoldableFloat(w.DataType))
        {
            return false;
        }

        if (conv.HasInput(2))
        {
            if (editor.Constant(conv.Inputs[2]) is not { Rank: 1 } b || b.Length != channels || b.DataType != w.DataType)
            {
                return false;
            }

            bias = b;
        }

        weights = w;
        return true;
    }

    /// <summary>Points the Conv at new constants (weights only when <paramref name="weights"/> is not null).</summary>
    public static void Replace(GraphEditor editor, Node conv, Tensor? weights, Tensor bias)
    {
        string biasHint = (conv.HasInput(2) ? conv.Inputs[2] : conv.Inputs[1]) + "_bias_folded";
        if (weights is not null)
        {
            conv.Inputs[1] = editor.AddInitializer(conv.Inputs[1] + "_folded", weights);
        }

        string biasName = editor.AddInitializer(biasHint, bias);
        if (conv.Inputs.Count > 2)
        {
            conv.Inputs[2] = biasName;
        }
        else
        {
            conv.Inputs.Add(biasName);
        }
    }
}
