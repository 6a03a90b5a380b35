using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Misc;

/// <summary>
/// Adagrad (ai.onnx.preview.training): r = R / (1 + T * decay_factor), g = norm_coefficient * X + G, H_new = H + g²,
/// X_new = X - r * g / (sqrt(H_new) + epsilon) (https://onnx.ai/onnx/operators/onnx_aionnxpreviewtraining_Adagrad.html).
/// </summary>
internal sealed class Adagrad : IKernel
{
    private readonly double _decay;
    private readonly double _epsilon;
    private readonly double _norm;

    public Adagrad(KernelCreationContext context)
    {
        _decay = context.Attributes.GetFloat("decay_factor", 0f);
        _epsilon = context.Attributes.GetFloat("epsilon", 0f);
        _norm = context.Attributes.GetFloat("norm_coefficient", 0f);
    }

    public void Compute(KernelContext context)
    {
        var (learningRate, step, n) = OptimizerInputs.Read(context, 3);
        double r = learningRate / (1 + (step * _decay));
        for (int j = 0; j < n; j++)
        {
            double[] x = OptimizerInputs.Block(context, n, 0, j);
            double[] g = OptimizerInputs.Block(context, n, 1, j);
            double[] h = OptimizerInputs.Block(context, n, 2, j);
            var xNew = new double[x.Length];
            var hNew = new double[x.Length];
            for (int i = 0; i < x.Length; i++)
            {
                double gr = (_norm * x[i]) + g[i];
                hNew[i] = h[i] + (gr * gr);
                xNew[i] = x[i] - (r * gr / (Math.Sqrt(hNew[i]) + _epsilon));
            }

            var like = context.Input(2 + j);
            OptimizerInputs.Write(context, j, like, xNew);
            OptimizerInputs.Write(context, n + j, like, hNew);
        }
    }
}
