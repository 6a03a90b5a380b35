using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>Not: y = !x on bool tensors (https://onnx.ai/onnx/operators/onnx__Not.html).</summary>
internal sealed class Not : IKernel
{
    public void Compute(KernelContext context)
    {
        var x = context.Input(0);
        if (x.DataType != DataType.Bool)
        {
            throw context.Error($"input must be bool, got {x.DataType.Name()}");
        }

        var xs = x.AsSpan<bool>();
        var ys = context.Output(0, DataType.Bool, x.Dims).AsSpan<bool>();
        for (int i = 0; i < xs.Length; i++)
        {
            ys[i] = !xs[i];
        }
    }
}
