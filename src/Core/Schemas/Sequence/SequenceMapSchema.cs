namespace OpenAutoGlm.Core;

/// <summary>SequenceMap: output j = sequence of the body's output j types; the body sees sequence elements and whole tensors.</summary>
public static class SequenceMapSchema
{
    public static void Infer(ShapeInferenceContext ctx)
    {
        var body = ctx.Attributes.GetRequiredGraph("body");
        if (body.Inputs.Count != ctx.InputCount || body.Outputs.Count != ctx.OutputCount)
        {
            throw ctx.Error($"body takes {body.Inputs.Count} inputs and gives {body.Outputs.Count} outputs; the node has {ctx.InputCount} and {ctx.OutputCount}");
        }

        var inputs = Enumerable.Range(0, ctx.InputCount).Select(i => ctx.InputType(i) is SequenceTypeInfo s ? s.ElementType : ctx.InputType(i)).ToList();
        var outputs = ctx.InferSubgraph(body, inputs);
        for (int j = 0; j < ctx.OutputCount; j++)
        {
            ctx.SetOutput(j, new SequenceTypeInfo(outputs[j] ?? new TensorTypeInfo(DataType.Undefined, null)));
        }
    }
}
