using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Reduction;

/// <summary>ArgMin: int64 index of the min along axis; keepdims, select_last_index (https://onnx.ai/onnx/operators/onnx__ArgMin.html).</summary>
internal sealed class ArgMin : IKernel
{
    private readonly ArgReduce _reduce;

    public ArgMin(KernelCreationContext ctx)
    {
        _reduce = new ArgReduce(ctx);
    }

    public void Compute(KernelContext context) => _reduce.Compute(context, max: false);
}
