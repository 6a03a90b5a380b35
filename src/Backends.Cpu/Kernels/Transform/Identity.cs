using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Transform;

/// <summary>Identity: y = x, any value kind (tensor, sequence, optional); the output aliases the input.</summary>
internal sealed class Identity : IKernel
{
    public void Compute(KernelContext context) =>
        context.SetOutput(0, context.InputValue(0) ?? throw context.Error("input 0 is missing"));
}
