using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Sequence;

/// <summary>SequenceInsert: a new sequence with the tensor inserted at position (default: the end) (https://onnx.ai/onnx/operators/onnx__SequenceInsert.html).</summary>
internal sealed class SequenceInsert : IKernel
{
    public void Compute(KernelContext context)
    {
        var sequence = SequenceInputs.Sequence(context, 0);
        var tensor = context.Input(1);
        if (tensor.DataType != sequence.ElementType)
        {
            throw context.Error($"cannot insert a {tensor.DataType.Name()} tensor into a sequence of {sequence.ElementType.Name()}");
        }

        int count = sequence.Items.Count;
        int at = context.OptionalInput(2) is { } p ? SequenceInputs.Position(context, p, count, allowEnd: true) : count;

        // Values are immutable once produced: build a new list rather than editing the input sequence.
        var items = new List<Tensor>(sequence.Items);
        items.Insert(at, tensor);
        context.SetOutput(0, new TensorSequence(sequence.ElementType, items));
    }
}
