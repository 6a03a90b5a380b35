using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Reduction;

/// <summary>ArgMax: int64 index of the max along axis; keepdims, select_last_index (https://onnx.ai/onnx/operators/onnx__ArgMax.html).</summary>
internal sealed class ArgMax : IKernel
{
    private readonly ArgReduce _reduce;

    public ArgMax(KernelCreationContext ctx)
    {
        _reduce = new ArgReduce(ctx);
    }

    public void Compute(KernelContext context) => _reduce.Compute(context, max: true);
}
