namespace OpenAutoGlm.Core;

/// <summary>Constant: the output is the tensor held by exactly one of the value attributes.</summary>
public static class ConstantSchema
{
    private static readonly string[] s_valueAttributes =
        ["value", "sparse_value", "value_float", "value_floats", "value_int", "value_ints", "value_string", "value_strings"];

    public static void Infer(ShapeInferenceContext ctx) =>
        ctx.SetOutputConstant(0, ValueOf(ctx.Node, msg => ctx.Error(msg)));

    /// <summary>
    /// Builds the constant tensor of a Constant node: <c>value</c> (tensor), <c>sparse_value</c> (densified),
    /// <c>value_float(s)</c> (float32 scalar / 1-D), <c>value_int(s)</c> (int64) or <c>value_string(s)</c>.
    /// </summary>
    public static Tensor ValueOf(Node node, Func<string, Exception> error)
    {
        var attrs = node.Attributes;
        var present = s_valueAttributes.Where(attrs.Contains).ToList();
        if (present.Count != 1)
        {
            throw error(present.Count == 0
                ? "exactly one of the attributes value, sparse_value, value_float(s), value_int(s), value_string(s) is required; none is set"
                : $"exactly one value attribute is allowed, got {string.Join(", ", present)}");
        }

        string name = present[0];
        return name switch
        {
            "value" => attrs.GetTensor(name)!,
            "sparse_value" => attrs[name].Value is SparseTensor s ? s.ToDense() : throw error($"attribute 'sparse_value' is {attrs[name].Kind}, expected a sparse tensor"),
            "value_float" => Tensor.Scalar(attrs.GetFloat(name)),
            "value_floats" => Tensor.Create(attrs.GetFloats(name)!, attrs.GetFloats(name)!.Length),
            "value_int" => Tensor.Scalar(attrs.GetInt(name)),
            "value_ints" => Tensor.Create(attrs.GetInts(name)!, attrs.GetInts(name)!.Length),
            "value_string" => new StringTensor([attrs.GetString(name)], ReadOnlySpan<int>.Empty),
            _ => new StringTensor(attrs.GetStrings(name)!, [attrs.GetStrings(name)!.Length]),
        };
    }
}
