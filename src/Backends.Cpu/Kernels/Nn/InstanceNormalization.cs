using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nn;

/// <summary>
/// InstanceNormalization: y = scale[c] * (x - mean) / sqrt(var + epsilon) + B[c], mean and population variance taken
/// over the spatial dims of each (n, c) plane (https://onnx.ai/onnx/operators/onnx__InstanceNormalization.html).
/// </summary>
internal sealed class InstanceNormalization : IKernel
{
    private readonly float _epsilon;

    public InstanceNormalization(KernelCreationContext ctx)
    {
        _epsilon = ctx.Attributes.GetFloat("epsilon", 1e-5f);
    }

    public void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        var scaleTensor = ctx.Input(1);
        var biasTensor = ctx.Input(2);
        if (x.Rank < 3)
        {
            throw ctx.Error($"input X must have rank >= 3 ([N, C, D1, ...]), got shape {x.ShapeString}");
        }

        int n = x.Dims[0], c = x.Dims[1];
        if (scaleTensor.Length != c || biasTensor.Length != c)
        {
            throw ctx.Error($"scale {scaleTensor.ShapeString} and B {biasTensor.ShapeString} must have one value per channel ({c}) of X {x.ShapeString}");
        }

        int plane = n * c == 0 ? 0 : x.Length / (n * c);
        var scale = scaleTensor.ToDoubleArray();
        var bias = biasTensor.ToDoubleArray();
        var y = ctx.Output(0, x.DataType, x.Dims);
        switch (x.DataType)
        {
            case DataType.Float32:
                Run(x.AsSpan<float>(), y.AsSpan<float>(), n, c, plane, scale, bias);
                break;
            case DataType.Float64:
                Run(x.AsSpan<double>(), y.AsSpan<double>(), n, c, plane, scale, bias);
                break;
            case DataType.Float16:
            case DataType.BFloat16:
                var yf = new float[y.Length];
                Run(FloatConversion.ToFloat(x), yf, n, c, plane, scale, bias);
                FloatConversion.FromFloat(yf, y);
                break;
            default:
                throw ctx.Error($"unsupported element type {x.DataType.Name()}");
        }
    }

    private void Run<T>(ReadOnlySpan<T> x, Span<T> y, int n, int c, int plane, double[] scale, double[] bias)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        for (int p = 0; p < n * c; p++)
        {
            var src = x.Slice(p * plane, plane);
            var (mean, variance) = Moments.Of(src);
            double a = scale[p % c] / Math.Sqrt(variance + _epsilon);
            double b = bias[p % c] - (mean * a);
            var dst = y.Slice(p * plane, plane);
            System.Numerics.Tensors.TensorPrimitives.Multiply(src, T.CreateChecked(a), dst);
            System.Numerics.Tensors.TensorPrimitives.Add(dst, T.CreateChecked(b), dst);
        }
    }
}
