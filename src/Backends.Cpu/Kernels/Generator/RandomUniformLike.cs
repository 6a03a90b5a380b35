using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Generator;

/// <summary>RandomUniformLike: y ~ U[low, high) with the input's shape (https://onnx.ai/onnx/operators/onnx__RandomUniformLike.html).</summary>
internal sealed class RandomUniformLike : IKernel
{
    private readonly DataType? _dtype;
    private readonly double _low;
    private readonly double _high;
    private readonly RandomSource _random;

    public RandomUniformLike(KernelCreationContext context)
    {
        var attrs = context.Attributes;
        _dtype = attrs.Contains("dtype") ? RandomSource.CheckFloat(context, (DataType)attrs.GetInt("dtype")) : null;
        _low = attrs.GetFloat("low", 0f);
        _high = attrs.GetFloat("high", 1f);
        _random = new RandomSource(attrs);
    }

    public void Compute(KernelContext context)
    {
        var input = context.Input(0);
        var dtype = _dtype ?? input.DataType;
        if (!dtype.IsFloatingPoint())
        {
            throw context.Error($"output element type {dtype.Name()} (from the input) is not floating point; set the dtype attribute");
        }

        var output = context.Output(0, dtype, input.Dims);
        var values = new double[output.Length];
        RandomSource.Uniform(_random.Create(), values, _low, _high);
        DoubleStore.Store(output, values);
    }
}
