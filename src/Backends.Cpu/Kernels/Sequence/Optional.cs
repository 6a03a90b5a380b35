using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Sequence;

/// <summary>Optional: wraps the input (tensor or sequence) in an optional, or an empty optional of the type attribute (https://onnx.ai/onnx/operators/onnx__Optional.html).</summary>
internal sealed class Optional : IKernel
{
    private readonly TypeInfo? _type;

    public Optional(KernelCreationContext context)
    {
        _type = context.Attributes.TryGet("type", out var a) ? a.Value as TypeInfo : null;
        if (!context.Node.HasInput(0) && _type is null)
        {
            throw context.Error("the 'type' attribute is required when the input is omitted");
        }
    }

    public void Compute(KernelContext context)
    {
        var value = context.InputValue(0);
        context.SetOutput(0, new OptionalValue(value?.Type ?? _type!, value));
    }
}
