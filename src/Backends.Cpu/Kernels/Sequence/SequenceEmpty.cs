using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Sequence;

/// <summary>SequenceEmpty: an empty sequence of element type dtype (float32 by default) (https://onnx.ai/onnx/operators/onnx__SequenceEmpty.html).</summary>
internal sealed class SequenceEmpty : IKernel
{
    private readonly DataType _dtype;

    public SequenceEmpty(KernelCreationContext context)
    {
        _dtype = (DataType)context.Attributes.GetInt("dtype", (long)DataType.Float32);
    }

    public void Compute(KernelContext context) => context.SetOutput(0, new TensorSequence(_dtype));
}
