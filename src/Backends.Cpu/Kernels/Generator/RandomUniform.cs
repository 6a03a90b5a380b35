using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Generator;

/// <summary>RandomUniform: y[shape] ~ U[low, high) (https://onnx.ai/onnx/operators/onnx__RandomUniform.html).</summary>
internal sealed class RandomUniform : IKernel
{
    private readonly int[] _shape;
    private readonly DataType _dtype;
    private readonly double _low;
    private readonly double _high;
    private readonly RandomSource _random;

    public RandomUniform(KernelCreationContext context)
    {
        var attrs = context.Attributes;
        long[] shape = attrs.GetInts("shape") ?? throw context.Error("required attribute 'shape' is missing");
        _shape = Array.ConvertAll(shape, d => d is >= 0 and <= int.MaxValue ? (int)d : throw context.Error($"attribute shape [{string.Join(",", shape)}] has an invalid dimension"));
        _dtype = RandomSource.CheckFloat(context, (DataType)attrs.GetInt("dtype", (long)DataType.Float32));
        _low = attrs.GetFloat("low", 0f);
        _high = attrs.GetFloat("high", 1f);
        _random = new RandomSource(attrs);
    }

    public void Compute(KernelContext context)
    {
        var output = context.Output(0, _dtype, _shape);
        var values = new double[output.Length];
        RandomSource.Uniform(_random.Create(), values, _low, _high);
        DoubleStore.Store(output, values);
    }
}
