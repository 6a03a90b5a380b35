using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Misc;

/// <summary>
/// Momentum (ai.onnx.preview.training): g = norm_coefficient * X + G, V_new = alpha * V + (T > 0 ? beta : 1) * g;
/// standard: X_new = X - R * V_new; nesterov: X_new = X - R * (g + alpha * V_new)
/// (https://onnx.ai/onnx/operators/onnx_aionnxpreviewtraining_Momentum.html).
/// </summary>
internal sealed class Momentum : IKernel
{
    private readonly double _alpha;
    private readonly double _beta;
    private readonly double _norm;
    private readonly bool _nesterov;

    public Momentum(KernelCreationContext context)
    {
        var attrs = context.Attributes;
        _alpha = attrs.GetFloat("alpha");
        _beta = attrs.GetFloat("beta");
        _norm = attrs.GetFloat("norm_coefficient");
        string mode = attrs.GetString("mode");
        _nesterov = mode switch
        {
            "standard" => false,
            "nesterov" => true,
            _ => throw context.Error($"mode must be standard or nesterov, got '{mode}'"),
        };
    }

    public void Compute(KernelContext context)
    {
        var (r, step, n) = OptimizerInputs.Read(context, 3);
        double beta = step > 0 ? _beta : 1;
        for (int j = 0; j < n; j++)
        {
            double[] x = OptimizerInputs.Block(context, n, 0, j);
            double[] g = OptimizerInputs.Block(context, n, 1, j);
            double[] v = OptimizerInputs.Block(context, n, 2, j);
            var xNew = new double[x.Length];
            var vNew = new double[x.Length];
            for (int i = 0; i < x.Length; i++)
            {
                double gr = (_norm * x[i]) + g[i];
                vNew[i] = (_alpha * v[i]) + (beta * gr);
                xNew[i] = x[i] - (r * (_nesterov ? gr + (_alpha * vNew[i]) : vNew[i]));
            }

            var like = context.Input(2 + j);
            OptimizerInputs.Write(context, j, like, xNew);
            OptimizerInputs.Write(context, n + j, like, vNew);
        }
    }
}
