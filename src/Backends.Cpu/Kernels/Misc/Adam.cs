using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Misc;

/// <summary>
/// Adam (ai.onnx.preview.training): g = norm_coefficient * X + G, V_new = alpha * V + (1 - alpha) * g,
/// H_new = beta * H + (1 - beta) * g², r = T > 0 ? R * sqrt(1 - beta^T) / (1 - alpha^T) : R,
/// X_new = (1 - norm_coefficient_post) * (X - r * V_new / (sqrt(H_new) + epsilon))
/// (https://onnx.ai/onnx/operators/onnx_aionnxpreviewtraining_Adam.html).
/// </summary>
internal sealed class Adam : IKernel
{
    private readonly double _alpha;
    private readonly double _beta;
    private readonly double _epsilon;
    private readonly double _norm;
    private readonly double _normPost;

    public Adam(KernelCreationContext context)
    {
        var attrs = context.Attributes;
        _alpha = attrs.GetFloat("alpha", 0.9f);
        _beta = attrs.GetFloat("beta", 0.999f);
        _epsilon = attrs.GetFloat("epsilon", 1e-6f);
        _norm = attrs.GetFloat("norm_coefficient", 0f);
        _normPost = attrs.GetFloat("norm_coefficient_post", 0f);
    }

    public void Compute(KernelContext context)
    {
        var (learningRate, step, n) = OptimizerInputs.Read(context, 4);
        double r = step > 0 ? learningRate * Math.Sqrt(1 - Math.Pow(_beta, step)) / (1 - Math.Pow(_alpha, step)) : learningRate;
        for (int j = 0; j < n; j++)
        {
            double[] x = OptimizerInputs.Block(context, n, 0, j);
            double[] g = OptimizerInputs.Block(context, n, 1, j);
            double[] v = OptimizerInputs.Block(context, n, 2, j);
            double[] h = OptimizerInputs.Block(context, n, 3, j);
            var xNew = new double[x.Length];
            var vNew = new double[x.Length];
            var hNew = new double[x.Length];
            for (int i = 0; i < x.Length; i++)
            {
                double gr = (_norm * x[i]) + g[i];
                vNew[i] = (_alpha * v[i]) + ((1 - _alpha) * gr);
                hNew[i] = (_beta * h[i]) + ((1 - _beta) * gr * gr);
                xNew[i] = (1 - _normPost) * (x[i] - (r * vNew[i] / (Math.Sqrt(hNew[i]) + _epsilon)));
            }

            var like = context.Input(2 + j);
            OptimizerInputs.Write(context, j, like, xNew);
            OptimizerInputs.Write(context, n + j, like, vNew);
            OptimizerInputs.Write(context, (2 * n) + j, like, hNew);
        }
    }
}
