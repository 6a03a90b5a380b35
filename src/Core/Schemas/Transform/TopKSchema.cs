namespace OpenAutoGlm.Core;

/// <summary>TopK: values and int64 indices with the axis dim replaced by k (an attribute before opset 10, an input from 10).</summary>
public static class TopKSchema
{
    public static void Infer(ShapeInferenceContext ctx)
    {
        var type = ctx.InputElementType(0);
        var input = ctx.InputShape(0);
        if (input is null)
        {
            ctx.SetOutput(0, type, null);
            ctx.SetOutput(1, DataType.Int64, null);
            return;
        }

        int axis = TransformShapes.NormalizeAxis(ctx.Attributes.GetInt("axis", -1), input.Rank, ctx.Error);
        long? k = ctx.Opset < 10 ? ctx.Attributes.GetInt("k") : ctx.ConstantInput(1) is { } t ? K(t, ctx.Error) : null;
        var dims = input.ToArray();
        if (k is long kv && dims[axis].Value is long d && kv > d)
        {
            throw ctx.Error($"k = {kv} is larger than dimension {axis} ({d}) of input {input}");
        }

        dims[axis] = k is long known ? known : Dim.Unknown;
        var shape = new Shape(dims);
        ctx.SetOutput(0, type, shape);
        ctx.SetOutput(1, DataType.Int64, shape);
    }

    /// <summary>Reads k from its one-element int64 input; must be non-negative.</summary>
    public static long K(Tensor k, Func<string, Exception> error)
    {
        if (k.Length != 1 || !k.DataType.IsInteger())
        {
            throw error($"k must be a one-element integer tensor, got {k.DataType.Name()}{k.ShapeString}");
        }

        long v = k.ToInt64Array()[0];
        return v >= 0 ? v : throw error($"k must be non-negative, got {v}");
    }
}
