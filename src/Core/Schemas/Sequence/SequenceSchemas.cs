namespace OpenAutoGlm.Core;

/// <summary>Shape inference of the sequence ops: outputs are <see cref="SequenceTypeInfo"/> of tensor element types.</summary>
public static class SequenceSchemas
{
    /// <summary>SequenceEmpty: an empty sequence of the <c>dtype</c> attribute's element type (float32 by default).</summary>
    public static void InferEmpty(ShapeInferenceContext ctx) =>
        ctx.SetOutput(0, new SequenceTypeInfo(new TensorTypeInfo((DataType)ctx.Attributes.GetInt("dtype", (long)DataType.Float32), null)));

    /// <summary>SequenceConstruct: the element type every input tensor satisfies.</summary>
    public static void InferConstruct(ShapeInferenceContext ctx)
    {
        if (ctx.InputCount == 0)
        {
            throw ctx.Error("needs at least one input tensor");
        }

        TypeInfo? element = ctx.InputType(0);
        for (int i = 1; i < ctx.InputCount; i++)
        {
            if (SubgraphTypes.ElementTypesConflict(element, ctx.InputType(i)))
            {
                throw ctx.Error($"all inputs must share one element type: input 0 is {ctx.InputType(0)}, input {i} is {ctx.InputType(i)}");
            }

            element = SubgraphTypes.Union(element, ctx.InputType(i));
        }

        ctx.SetOutput(0, new SequenceTypeInfo(element ?? new TensorTypeInfo(DataType.Undefined, null)));
    }

    /// <summary>SequenceInsert: the input sequence's element type widened to the inserted tensor.</summary>
    public static void InferInsert(ShapeInferenceContext ctx)
    {
        var element = ElementOf(ctx, 0);
        var tensor = ctx.InputType(1);
        if (SubgraphTypes.ElementTypesConflict(element, tensor))
        {
            throw ctx.Error($"cannot insert a {tensor} into a sequence of {element}");
        }

        var union = element is TensorTypeInfo { ElementType: DataType.Undefined } or null ? tensor : SubgraphTypes.Union(element, tensor);
        ctx.SetOutput(0, new SequenceTypeInfo(union ?? new TensorTypeInfo(DataType.Undefined, null)));
    }

    /// <summary>SequenceAt: the sequence's element type.</summary>
    public static void InferAt(ShapeInferenceContext ctx) => ctx.SetOutput(0, ElementOf(ctx, 0));

    /// <summary>SequenceErase and other ops that keep the sequence type.</summary>
    public static void InferSameSequence(ShapeInferenceContext ctx) => ctx.SetOutput(0, ctx.InputType(0));

    /// <summary>SequenceLength: an int64 scalar.</summary>
    public static void InferLength(ShapeInferenceContext ctx) => ctx.SetOutput(0, DataType.Int64, Shape.Scalar);

    /// <summary>SplitToSequence: pieces of the input along <c>axis</c>; the split dimension is unknown unless every piece has one size.</summary>
    public static void InferSplitToSequence(ShapeInferenceContext ctx)
    {
        var type = ctx.InputElementType(0);
        var shape = ctx.InputShape(0);
        if (shape is null)
        {
            ctx.SetOutput(0, new SequenceTypeInfo(new TensorTypeInfo(type, null)));
            return;
        }

        int axis = ctx.NormalizeAxis(ctx.Attributes.GetInt("axis", 0), shape.Rank);
        var dims = shape.ToList();
        if (!ctx.HasInput(1))
        {
            if (ctx.Attributes.GetInt("keepdims", 1) == 0)
            {
                dims.RemoveAt(axis);
            }
            else
            {
                dims[axis] = 1;
            }
        }
        else if (ctx.ConstantInput(1) is { } split && split.ToInt64Array() is { } sizes && sizes.Length > 0 && sizes.All(s => s == sizes[0])
            && (split.Rank == 1 || (shape[axis].Value is long n && sizes[0] > 0 && n % sizes[0] == 0)))
        {
            dims[axis] = sizes[0];
        }
        else
        {
            dims[axis] = Dim.Unknown;
        }

        ctx.SetOutput(0, new SequenceTypeInfo(new TensorTypeInfo(type, new Shape(dims))));
    }

    /// <summary>ConcatFromSequence: element rank (plus one with new_axis), concatenated dimension unknown.</summary>
    public static void InferConcatFromSequence(ShapeInferenceContext ctx)
    {
        if (ElementOf(ctx, 0) is not TensorTypeInfo element)
        {
            ctx.SetOutput(0, null);
            return;
        }

        if (element.Shape is null)
        {
            ctx.SetOutput(0, element.ElementType, null);
            return;
        }

        bool newAxis = ctx.Attributes.GetInt("new_axis", 0) == 1;
        int rank = element.Shape.Rank + (newAxis ? 1 : 0);
        int axis = ctx.NormalizeAxis(ctx.Attributes.GetInt("axis"), rank);
        var dims = element.Shape.ToList();
        if (newAxis)
        {
            dims.Insert(axis, Dim.Unknown);
        }
        else
        {
            dims[axis] = Dim.Unknown;
        }

        ctx.SetOutput(0, element.ElementType, new Shape(dims));
    }

    private static TypeInfo? ElementOf(ShapeInferenceContext ctx, int input) => ctx.InputType(input) switch
    {
        SequenceTypeInfo s => s.ElementType,
        null => null,
        var other => throw ctx.Error($"input {input} must be a sequence, got {other}"),
    };
}
