namespace OpenAutoGlm.Core;

/// <summary>If: output i has the type both branches' output i satisfy (tensors, sequences or optionals).</summary>
public static class IfSchema
{
    public static void Infer(ShapeInferenceContext ctx)
    {
        if (ctx.InputShape(0) is { } cond && cond.ElementCount is long n && n != 1)
        {
            throw ctx.Error($"cond must hold exactly one element, got shape {cond}");
        }

        var thenBranch = ctx.Attributes.GetRequiredGraph("then_branch");
        var elseBranch = ctx.Attributes.GetRequiredGraph("else_branch");
        if (thenBranch.Outputs.Count != ctx.OutputCount || elseBranch.Outputs.Count != ctx.OutputCount)
        {
            throw ctx.Error($"the node has {ctx.OutputCount} outputs but then_branch has {thenBranch.Outputs.Count} and else_branch {elseBranch.Outputs.Count}");
        }

        var thenTypes = ctx.InferSubgraph(thenBranch, []);
        var elseTypes = ctx.InferSubgraph(elseBranch, []);
        for (int i = 0; i < ctx.OutputCount; i++)
        {
            if (SubgraphTypes.ElementTypesConflict(thenTypes[i], elseTypes[i]))
            {
                throw ctx.Error($"output {i} is {thenTypes[i]} in then_branch but {elseTypes[i]} in else_branch");
            }

            ctx.SetOutput(i, SubgraphTypes.Union(thenTypes[i], elseTypes[i]));
        }
    }
}
