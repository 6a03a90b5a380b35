using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Sequence;

/// <summary>SequenceLength: y = number of tensors in the sequence, an int64 scalar (https://onnx.ai/onnx/operators/onnx__SequenceLength.html).</summary>
internal sealed class SequenceLength : IKernel
{
    public void Compute(KernelContext context)
    {
        var sequence = SequenceInputs.Sequence(context, 0);
        context.Output<long>(0, [])[0] = sequence.Items.Count;
    }
}
