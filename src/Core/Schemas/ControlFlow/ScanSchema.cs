namespace OpenAutoGlm.Core;

/// <summary>
/// Scan: body(state..., scan_slice...) -> (state..., scan_out_slice...). Opset 9+: scan inputs are sliced along
/// scan_input_axes; opset 8: inputs carry a batch axis 0 (after the optional sequence_lens input) and scan axis 1.
/// </summary>
public static class ScanSchema
{
    public static void Infer(ShapeInferenceContext ctx)
    {
        var body = ctx.Attributes.GetRequiredGraph("body");
        long m = ctx.Attributes.GetInt("num_scan_inputs");
        bool batched = ctx.Opset < 9;
        int first = batched ? 1 : 0;
        int stateCount = ctx.InputCount - first - (int)m;
        int scanOutputs = ctx.OutputCount - stateCount;
        if (m < 1 || stateCount < 0 || scanOutputs < 0)
        {
            throw ctx.Error($"num_scan_inputs {m} does not fit {ctx.InputCount} inputs and {ctx.OutputCount} outputs");
        }

        if (body.Inputs.Count != stateCount + m || body.Outputs.Count != ctx.OutputCount)
        {
            throw ctx.Error($"body takes {body.Inputs.Count} inputs and gives {body.Outputs.Count} outputs; expected {stateCount + m} and {ctx.OutputCount}");
        }

        long[] inAxes = batched ? new long[m] : ctx.Attributes.GetInts("scan_input_axes") ?? new long[m];
        long[] outAxes = batched ? new long[scanOutputs] : ctx.Attributes.GetInts("scan_output_axes") ?? new long[scanOutputs];
        if (inAxes.Length != m || outAxes.Length != scanOutputs)
        {
            throw ctx.Error($"scan_input_axes has {inAxes.Length} entries for {m} scan inputs, scan_output_axes {outAxes.Length} for {scanOutputs} scan outputs");
        }

        var bodyInputs = new List<TypeInfo?>();
        Dim batch = Dim.Unknown;
        for (int i = 0; i < stateCount; i++)
        {
            var t = ctx.InputType(first + i);
            if (batched)
            {
                batch = t is TensorTypeInfo { Shape: { Rank: > 0 } s } ? s[0] : batch;
                t = SubgraphTypes.RemoveAxis(t, 0, ctx, "batch axis");
            }

            bodyInputs.Add(t);
        }

        Dim length = Dim.Unknown;
        for (int j = 0; j < m; j++)
        {
            var t = ctx.InputType(first + stateCount + j);
            if (batched)
            {
                batch = t is TensorTypeInfo { Shape: { Rank: > 0 } b } ? b[0] : batch;
                t = SubgraphTypes.RemoveAxis(t, 0, ctx, "batch axis");
            }

            if (t is TensorTypeInfo { Shape: { } s })
            {
                int axis = ctx.NormalizeAxis(inAxes[j], s.Rank, "scan_input_axes value");
                length = length.IsKnown ? length : s[axis];
            }

            bodyInputs.Add(SubgraphTypes.RemoveAxis(t, (int)inAxes[j], ctx, "scan_input_axes value"));
        }

        var outTypes = ctx.InferSubgraph(body, bodyInputs);
        for (int i = 0; i < stateCount; i++)
        {
            var t = outTypes[i];
            ctx.SetOutput(i, batched ? SubgraphTypes.InsertAxis(t, 0, batch, ctx, "batch axis") : t);
        }

        for (int k = 0; k < scanOutputs; k++)
        {
            var t = SubgraphTypes.InsertAxis(outTypes[stateCount + k], outAxes[k], length, ctx, "scan_output_axes value");
            ctx.SetOutput(stateCount + k, batched ? SubgraphTypes.InsertAxis(t, 0, batch, ctx, "batch axis") : t);
        }
    }
}
