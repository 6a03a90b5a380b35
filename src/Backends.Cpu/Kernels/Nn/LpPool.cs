using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nn;

/// <summary>
/// LpPool: Y[n, c, o] = (sum over the window of |x|^p)^(1/p), padding counted as zeros; p is a float attribute in
/// opset 1 and an int from opset 2 (https://onnx.ai/onnx/operators/onnx__LpPool.html).
/// </summary>
internal sealed class LpPool : IKernel
{
    private readonly ConvGeometry _geometry;
    private readonly double _p;

    public LpPool(KernelCreationContext ctx)
    {
        _geometry = ConvGeometry.Parse(ctx.Node);
        _p = ctx.Opset < 2 ? ctx.Attributes.GetFloat("p", 2f) : ctx.Attributes.GetInt("p", 2);
    }

    public void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        if (x.Rank < 3)
        {
            throw ctx.Error($"input X must have rank >= 3 ([N, C, D1, ...]), got shape {x.ShapeString}");
        }

        if (_p <= 0)
        {
            throw ctx.Error($"p must be positive, got {_p}");
        }

        var plan = ConvPlan.Forward(ctx, _geometry, x.Dims, default, kernelRequired: true);
        var yDims = x.DimsArray();
        plan.Output.CopyTo(yDims, 2);
        var y = ctx.Output(0, x.DataType, yDims);
        int planes = x.Dims[0] * x.Dims[1];
        switch (x.DataType)
        {
            case DataType.Float32:
                WindowPool.Run(x.AsSpan<float>(), y.AsSpan<float>(), default, planes, plan, new LpAccumulator<float>(_p));
                break;
            case DataType.Float64:
                WindowPool.Run(x.AsSpan<double>(), y.AsSpan<double>(), default, planes, plan, new LpAccumulator<double>(_p));
                break;
            case DataType.Float16:
            case DataType.BFloat16:
                var yf = new float[y.Length];
                WindowPool.Run<float, LpAccumulator<float>>(FloatConversion.ToFloat(x), yf, default, planes, plan, new(_p));
                FloatConversion.FromFloat(yf, y);
                break;
            default:
                throw ctx.Error($"unsupported element type {x.DataType.Name()}");
        }
    }
}
