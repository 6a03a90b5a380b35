namespace OpenAutoGlm.Core;

/// <summary>
/// Loop: body(iteration_num: int64 scalar, cond: bool scalar, v...) -> (cond, v..., scan...). Outputs are the final
/// loop-carried values (types general enough for every iteration) and the scan outputs stacked on a new axis 0.
/// </summary>
public static class LoopSchema
{
    public static void Infer(ShapeInferenceContext ctx)
    {
        var body = ctx.Attributes.GetRequiredGraph("body");
        int carried = ctx.InputCount - 2;
        if (carried < 0 || body.Inputs.Count != carried + 2)
        {
            throw ctx.Error($"body must take 2 + {Math.Max(carried, 0)} inputs (iteration_num, cond, loop-carried values), it takes {body.Inputs.Count}");
        }

        int scans = body.Outputs.Count - 1 - carried;
        if (scans < 0 || ctx.OutputCount > carried + scans)
        {
            throw ctx.Error($"body has {body.Outputs.Count} outputs; with {carried} loop-carried values the node can have at most {carried + Math.Max(scans, 0)} outputs, it has {ctx.OutputCount}");
        }

        var inputTypes = new List<TypeInfo?> { new TensorTypeInfo(DataType.Int64, Shape.Scalar), new TensorTypeInfo(DataType.Bool, Shape.Scalar) };
        for (int i = 0; i < carried; i++)
        {
            inputTypes.Add(ctx.InputType(i + 2));
        }

        var restore = SubgraphTypes.Snapshot(body);
        var outTypes = ctx.InferSubgraph(body, inputTypes);

        // A value whose type changes across iterations (a growing sequence, a concatenated tensor) needs a
        // second pass with the type that holds for every iteration.
        var general = inputTypes.ToList();
        bool changed = false;
        for (int i = 0; i < carried; i++)
        {
            var union = SubgraphTypes.Union(inputTypes[i + 2], outTypes[i + 1]);
            if (union != inputTypes[i + 2])
            {
                general[i + 2] = union;
                changed = true;
            }
        }

        if (changed)
        {
            restore();
            outTypes = ctx.InferSubgraph(body, general);
        }

        for (int i = 0; i < carried && i < ctx.OutputCount; i++)
        {
            ctx.SetOutput(i, SubgraphTypes.Union(general[i + 2], outTypes[i + 1]));
        }

        for (int k = 0; k < scans && carried + k < ctx.OutputCount; k++)
        {
            var t = outTypes[1 + carried + k];
            ctx.SetOutput(carried + k, t is TensorTypeInfo { Shape: { } s } tt ? tt with { Shape = new Shape(s.Prepend(Dim.Unknown)) } : t);
        }
    }
}
