using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Sequence;

/// <summary>SequenceErase: a new sequence without the tensor at position (default: the last) (https://onnx.ai/onnx/operators/onnx__SequenceErase.html).</summary>
internal sealed class SequenceErase : IKernel
{
    public void Compute(KernelContext context)
    {
        var sequence = SequenceInputs.Sequence(context, 0);
        int count = sequence.Items.Count;
        if (count == 0)
        {
            throw context.Error("cannot erase from an empty sequence");
        }

        int at = context.OptionalInput(1) is { } p ? SequenceInputs.Position(context, p, count, allowEnd: false) : count - 1;
        var items = new List<Tensor>(sequence.Items);
        items.RemoveAt(at);
        context.SetOutput(0, new TensorSequence(sequence.ElementType, items));
    }
}
