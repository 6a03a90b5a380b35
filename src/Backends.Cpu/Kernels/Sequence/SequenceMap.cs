using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Sequence;

/// <summary>
/// SequenceMap: out_j[i] = body(seq[i], extra...)_j, where extra inputs that are sequences contribute their i-th
/// tensor and tensors are passed whole (https://onnx.ai/onnx/operators/onnx__SequenceMap.html).
/// </summary>
internal sealed class SequenceMap : IKernel
{
    private readonly Graph _body;

    public SequenceMap(KernelCreationContext context)
    {
        _body = context.Attributes.GetRequiredGraph("body");
        if (_body.Inputs.Count != context.Node.Inputs.Count || _body.Outputs.Count != context.Node.Outputs.Count)
        {
            throw context.Error($"body takes {_body.Inputs.Count} inputs and gives {_body.Outputs.Count} outputs; the node has {context.Node.Inputs.Count} and {context.Node.Outputs.Count}");
        }
    }

    public void Compute(KernelContext context)
    {
        var runner = context.Subgraphs ?? throw context.Error("no subgraph runner is available to run the body");
        var first = SequenceInputs.Sequence(context, 0);
        int count = first.Items.Count;
        for (int i = 1; i < context.InputCount; i++)
        {
            if (context.InputValue(i) is TensorSequence s && s.Items.Count != count)
            {
                throw context.Error($"input sequence {i} has {s.Items.Count} tensors but input 0 has {count}");
            }
        }

        var results = new List<Tensor>[context.OutputCount];
        for (int j = 0; j < results.Length; j++)
        {
            results[j] = new List<Tensor>(count);
        }

        var inputs = new DataValue?[context.InputCount];
        for (int n = 0; n < count; n++)
        {
            for (int i = 0; i < inputs.Length; i++)
            {
                inputs[i] = context.InputValue(i) is TensorSequence s ? s.Items[n] : context.InputValue(i);
            }

            var outputs = runner.Run(_body, inputs);
            for (int j = 0; j < results.Length; j++)
            {
                results[j].Add(outputs[j] as Tensor ?? throw context.Error($"body output {j} is not a tensor"));
            }
        }

        for (int j = 0; j < results.Length; j++)
        {
            var declared = _body.Outputs[j].Type as TensorTypeInfo;
            var elementType = results[j].Count > 0 ? results[j][0].DataType : declared?.ElementType ?? DataType.Float32;
            context.SetOutput(j, new TensorSequence(elementType, results[j]));
        }
    }
}
