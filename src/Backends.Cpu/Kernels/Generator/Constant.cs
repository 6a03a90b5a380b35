using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Generator;

/// <summary>Constant: y = the tensor of the value attribute (https://onnx.ai/onnx/operators/onnx__Constant.html).</summary>
internal sealed class Constant : IKernel
{
    private readonly Tensor _value;

    public Constant(KernelCreationContext context)
    {
        _value = ConstantSchema.ValueOf(context.Node, msg => context.Error(msg));
    }

    // The output aliases the attribute tensor; kernels never write into their inputs.
    public void Compute(KernelContext context) => context.SetOutput(0, _value);
}
