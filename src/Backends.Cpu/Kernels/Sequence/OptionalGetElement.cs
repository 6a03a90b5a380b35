using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Sequence;

/// <summary>OptionalGetElement: y = the optional's value (an error when empty); a plain tensor or sequence passes through (https://onnx.ai/onnx/operators/onnx__OptionalGetElement.html).</summary>
internal sealed class OptionalGetElement : IKernel
{
    public void Compute(KernelContext context)
    {
        var value = context.InputValue(0) switch
        {
            null => throw context.Error("input 0 is missing"),
            OptionalValue { Value: null } => throw context.Error("the optional input is empty"),
            OptionalValue o => o.Value,
            var plain => plain,
        };
        context.SetOutput(0, value);
    }
}
