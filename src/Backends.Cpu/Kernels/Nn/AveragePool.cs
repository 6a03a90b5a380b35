using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nn;

/// <summary>
/// AveragePool: Y[n, c, o] = sum of the window / count, count = window elements inside the input, or inside the
/// padded input with count_include_pad; ceil_mode, dilations, auto_pad (https://onnx.ai/onnx/operators/onnx__AveragePool.html).
/// </summary>
internal sealed class AveragePool : IKernel
{
    private readonly ConvGeometry _geometry;
    private readonly bool _countIncludePad;

    public AveragePool(KernelCreationContext ctx)
    {
        _geometry = ConvGeometry.Parse(ctx.Node);
        _countIncludePad = ctx.Attributes.GetInt("count_include_pad", 0) != 0;
    }

    public void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        if (x.Rank < 3)
        {
            throw ctx.Error($"input X must have rank >= 3 ([N, C, D1, ...]), got shape {x.ShapeString}");
        }

        var plan = ConvPlan.Forward(ctx, _geometry, x.Dims, default, kernelRequired: true);
        var yDims = x.DimsArray();
        plan.Output.CopyTo(yDims, 2);
        var y = ctx.Output(0, x.DataType, yDims);
        int planes = x.Dims[0] * x.Dims[1];
        switch (x.DataType)
        {
            case DataType.Float32:
                WindowPool.Run(x.AsSpan<float>(), y.AsSpan<float>(), default, planes, plan, new AverageAccumulator<float>(_countIncludePad));
                break;
            case DataType.Float64:
                WindowPool.Run(x.AsSpan<double>(), y.AsSpan<double>(), default, planes, plan, new AverageAccumulator<double>(_countIncludePad));
                break;
            case DataType.Float16:
            case DataType.BFloat16:
                var yf = new float[y.Length];
                WindowPool.Run<float, AverageAccumulator<float>>(FloatConversion.ToFloat(x), yf, default, planes, plan, new(_countIncludePad));
                FloatConversion.FromFloat(yf, y);
                break;
            default:
                throw ctx.Error($"unsupported element type {x.DataType.Name()}");
        }
    }
}
