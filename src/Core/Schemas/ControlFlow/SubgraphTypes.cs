namespace OpenAutoGlm.Core;

/// <summary>Type helpers shared by the control-flow schemas (If branches, Loop/Scan bodies).</summary>
public static class SubgraphTypes
{
    /// <summary>
    /// The most specific type both <paramref name="a"/> and <paramref name="b"/> satisfy: element types must agree,
    /// dims that differ become unknown, ranks that differ make the rank unknown. Null (unknown) absorbs shape.
    /// </summary>
    public static TypeInfo? Union(TypeInfo? a, TypeInfo? b)
    {
        if (a is null || b is null)
        {
            return (a ?? b) is TensorTypeInfo t ? t with { Shape = null } : null;
        }

        switch (a, b)
        {
            case (TensorTypeInfo ta, TensorTypeInfo tb):
                var type = ta.ElementType == DataType.Undefined ? tb.ElementType : ta.ElementType;
                if (ta.Shape is null || tb.Shape is null || ta.Shape.Rank != tb.Shape.Rank)
                {
                    return new TensorTypeInfo(type, null);
                }

                var dims = new Dim[ta.Shape.Rank];
                for (int i = 0; i < dims.Length; i++)
                {
                    dims[i] = ta.Shape[i] == tb.Shape[i] ? ta.Shape[i] : Dim.Unknown;
                }

                return new TensorTypeInfo(type, new Shape(dims));
            case (SequenceTypeInfo sa, SequenceTypeInfo sb):
                return new SequenceTypeInfo(Union(sa.ElementType, sb.ElementType) ?? sa.ElementType);
            case (OptionalTypeInfo oa, OptionalTypeInfo ob):
                return new OptionalTypeInfo(Union(oa.ElementType, ob.ElementType) ?? oa.ElementType);
            default:
                return a == b ? a : null;
        }
    }

    /// <summary>Whether two tensor element types conflict (both known and different).</summary>
    public static bool ElementTypesConflict(TypeInfo? a, TypeInfo? b) =>
        a is TensorTypeInfo ta && b is TensorTypeInfo tb && ta.ElementType != DataType.Undefined && tb.ElementType != DataType.Undefined && ta.ElementType != tb.ElementType;

    /// <summary>A tensor type with the dimension at <paramref name="axis"/> removed (a slice of a scanned tensor).</summary>
    public static TypeInfo? RemoveAxis(TypeInfo? type, int axis, ShapeInferenceContext ctx, string what)
    {
        if (type is not TensorTypeInfo t || t.Shape is null)
        {
            return type;
        }

        int a = ctx.NormalizeAxis(axis, t.Shape.Rank, what);
        return t with { Shape = new Shape(t.Shape.Where((_, i) => i != a)) };
    }

    /// <summary>A tensor type with <paramref name="dim"/> inserted at <paramref name="axis"/> (stacked scan output).</summary>
    public static TypeInfo? InsertAxis(TypeInfo? type, long axis, Dim dim, ShapeInferenceContext ctx, string what)
    {
        if (type is not TensorTypeInfo t || t.Shape is null)
        {
            return type is TensorTypeInfo u ? u : null;
        }

        int a = ctx.NormalizeAxis(axis, t.Shape.Rank + 1, what);
        var dims = t.Shape.ToList();
        dims.Insert(a, dim);
        return t with { Shape = new Shape(dims) };
    }

    /// <summary>
    /// Saves the types recorded in <paramref name="graph"/> (inputs, outputs, value infos) so that a body can be
    /// inferred again with more general input types; inference only ever refines what it finds.
    /// </summary>
    public static Action Snapshot(Graph graph)
    {
        var inputs = graph.Inputs.Select(v => v.Type).ToArray();
        var outputs = graph.Outputs.Select(v => v.Type).ToArray();
        var infos = graph.ValueInfos.ToDictionary(kv => kv.Key, kv => kv.Value.Type, StringComparer.Ordinal);
        return () =>
        {
            for (int i = 0; i < inputs.Length; i++)
            {
                graph.Inputs[i].Type = inputs[i];
            }

            for (int i = 0; i < outputs.Length; i++)
            {
                graph.Outputs[i].Type = outputs[i];
            }

            foreach (var name in graph.ValueInfos.Keys.Where(k => !infos.ContainsKey(k)).ToList())
            {
                graph.ValueInfos.Remove(name);
            }

            foreach (var (name, type) in infos)
            {
                graph.ValueInfos[name].Type = type;
            }
        };
    }
}
