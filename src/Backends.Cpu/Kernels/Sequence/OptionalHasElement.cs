using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Sequence;

/// <summary>
/// OptionalHasElement: y = whether the optional holds a value; an omitted input (opset 18) is empty and a plain
/// tensor or sequence counts as present (https://onnx.ai/onnx/operators/onnx__OptionalHasElement.html).
/// </summary>
internal sealed class OptionalHasElement : IKernel
{
    public void Compute(KernelContext context)
    {
        bool has = context.InputValue(0) switch
        {
            null => false,
            OptionalValue o => o.HasValue,
            _ => true,
        };
        context.Output<bool>(0, [])[0] = has;
    }
}
