using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Sequence;

/// <summary>SequenceConstruct: [x0, x1, ...] as a sequence; all inputs share one element type (https://onnx.ai/onnx/operators/onnx__SequenceConstruct.html).</summary>
internal sealed class SequenceConstruct : IKernel
{
    public void Compute(KernelContext context)
    {
        if (context.InputCount == 0)
        {
            throw context.Error("needs at least one input tensor");
        }

        var items = new List<Tensor>(context.InputCount);
        for (int i = 0; i < context.InputCount; i++)
        {
            var t = context.Input(i);
            if (t.DataType != context.Input(0).DataType)
            {
                throw context.Error($"all inputs must share one element type: input 0 is {context.Input(0).DataType.Name()}, input {i} is {t.DataType.Name()}");
            }

            items.Add(t);
        }

        context.SetOutput(0, new TensorSequence(items[0].DataType, items));
    }
}
