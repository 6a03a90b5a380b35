using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>Shared driver for float unary kernels: float32 vectorized, float16/bfloat16/float64 through float or double.</summary>
internal static class ElementwiseUnary
{
    /// <param name="ctx">The node's context; input 0 is x, output 0 is y of the same shape and dtype.</param>
    /// <param name="scalarDouble">The op in double precision for float64 inputs (null: float64 unsupported).</param>
    public static void Compute<TOp>(KernelContext ctx, Func<double, double>? scalarDouble = null)
        where TOp : struct, IUnaryOperator
    {
        var x = ctx.Input(0);
        var y = ctx.Output(0, x.DataType, x.Dims);
        switch (x.DataType)
        {
            case DataType.Float32:
                UnaryDriver.Run<TOp>(x.AsSpan<float>(), y.AsSpan<float>());
                break;
            case DataType.Float16:
            case DataType.BFloat16:
                var f = FloatConversion.ToFloat(x);
                UnaryDriver.Run<TOp>(f, f);
                FloatConversion.FromFloat(f, y);
                break;
            case DataType.Float64 when scalarDouble is not null:
                var xs = x.AsSpan<double>();
                var ys = y.AsSpan<double>();
                for (int i = 0; i < xs.Length; i++)
                {
                    ys[i] = scalarDouble(xs[i]);
                }

                break;
            default:
                throw ctx.Error($"unsupported element type {x.DataType.Name()}");
        }
    }
}
