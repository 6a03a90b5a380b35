using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Sequence;

/// <summary>SequenceAt: y = sequence[position], position in [-n, n) (https://onnx.ai/onnx/operators/onnx__SequenceAt.html).</summary>
internal sealed class SequenceAt : IKernel
{
    public void Compute(KernelContext context)
    {
        var sequence = SequenceInputs.Sequence(context, 0);
        int at = SequenceInputs.Position(context, context.Input(1), sequence.Items.Count, allowEnd: false);
        context.SetOutput(0, sequence.Items[at]);
    }
}
