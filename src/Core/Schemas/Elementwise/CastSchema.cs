namespace OpenAutoGlm.Core;

/// <summary>Cast/CastLike: output has input 0's shape and the element type named by <c>to</c> (CastLike: input 1's).</summary>
public static class CastSchema
{
    public static void Infer(ShapeInferenceContext ctx) => ctx.SetOutput(0, TargetType(ctx.Node), ctx.InputShape(0));

    /// <summary>CastLike: input 0's shape, input 1's element type.</summary>
    public static void InferLike(ShapeInferenceContext ctx) => ctx.SetOutput(0, ctx.InputElementType(1), ctx.InputShape(0));

    /// <summary>
    /// The <c>to</c> attribute: a TensorProto.DataType number (opset 6 on) or, in opset 1, its name
    /// ("FLOAT", "INT64", ...). Throws naming the node when the type is missing or unsupported.
    /// </summary>
    public static DataType TargetType(Node node)
    {
        if (!node.Attributes.TryGet("to", out var to))
        {
            throw new GraphValidationException($"{node.Describe()}: required attribute 'to' is missing");
        }

        DataType type = to.Value switch
        {
            long code => (DataType)code,
            string name => ParseProtoName(name),
            _ => DataType.Undefined,
        };
        if (type is DataType.Undefined or DataType.Complex64 or DataType.Complex128 || !Enum.IsDefined(type))
        {
            throw new GraphValidationException($"{node.Describe()}: cannot cast to type {to.Value}");
        }

        return type;
    }

    private static DataType ParseProtoName(string name) => name.ToUpperInvariant() switch
    {
        "FLOAT" => DataType.Float32,
        "UINT8" => DataType.UInt8,
        "INT8" => DataType.Int8,
        "UINT16" => DataType.UInt16,
        "INT16" => DataType.Int16,
        "INT32" => DataType.Int32,
        "INT64" => DataType.Int64,
        "STRING" => DataType.String,
        "BOOL" => DataType.Bool,
        "FLOAT16" => DataType.Float16,
        "DOUBLE" => DataType.Float64,
        "UINT32" => DataType.UInt32,
        "UINT64" => DataType.UInt64,
        "BFLOAT16" => DataType.BFloat16,
        _ => DataType.Undefined,
    };
}
