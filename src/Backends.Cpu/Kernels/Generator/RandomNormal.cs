using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Generator;

/// <summary>RandomNormal: y[shape] ~ N(mean, scale²) (https://onnx.ai/onnx/operators/onnx__RandomNormal.html).</summary>
internal sealed class RandomNormal : IKernel
{
    private readonly int[] _shape;
    private readonly DataType _dtype;
    private readonly double _mean;
    private readonly double _scale;
    private readonly RandomSource _random;

    public RandomNormal(KernelCreationContext context)
    {
        var attrs = context.Attributes;
        long[] shape = attrs.GetInts("shape") ?? throw context.Error("required attribute 'shape' is missing");
        _shape = Array.ConvertAll(shape, d => d is >= 0 and <= int.MaxValue ? (int)d : throw context.Error($"attribute shape [{string.Join(",", shape)}] has an invalid dimension"));
        _dtype = RandomSource.CheckFloat(context, (DataType)attrs.GetInt("dtype", (long)DataType.Float32));
        _mean = attrs.GetFloat("mean", 0f);
        _scale = attrs.GetFloat("scale", 1f);
        _random = new RandomSource(attrs);
    }

    public void Compute(KernelContext context)
    {
        var output = context.Output(0, _dtype, _shape);
        var values = new double[output.Length];
        RandomSource.Normal(_random.Create(), values, _mean, _scale);
        DoubleStore.Store(output, values);
    }
}
