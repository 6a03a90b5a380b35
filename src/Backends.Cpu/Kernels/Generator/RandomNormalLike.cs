using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Generator;

/// <summary>RandomNormalLike: y ~ N(mean, scale²) with the input's shape (https://onnx.ai/onnx/operators/onnx__RandomNormalLike.html).</summary>
internal sealed class RandomNormalLike : IKernel
{
    private readonly DataType? _dtype;
    private readonly double _mean;
    private readonly double _scale;
    private readonly RandomSource _random;

    public RandomNormalLike(KernelCreationContext context)
    {
        var attrs = context.Attributes;
        _dtype = attrs.Contains("dtype") ? RandomSource.CheckFloat(context, (DataType)attrs.GetInt("dtype")) : null;
        _mean = attrs.GetFloat("mean", 0f);
        _scale = attrs.GetFloat("scale", 1f);
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
        RandomSource.Normal(_random.Create(), values, _mean, _scale);
        DoubleStore.Store(output, values);
    }
}
