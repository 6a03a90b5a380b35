using OpenAutoGlm.Core;

namespace OpenAutoGlm.Optimizer.Passes;

/// <summary>
/// Cast chains: a Cast to the type its input already has is removed; Cast(Cast(x, B), C) reads x directly,
/// Cast(x, C), when the first cast is lossless (every value of x's type is exactly representable in B, so the
/// second cast sees x's own values), and disappears when C is x's type.
/// </summary>
public sealed class EliminateRedundantCasts : NodeRewritePass
{
    public override string Name => "eliminate-redundant-casts";

    /// <summary>Whether every value of <paramref name="from"/> is exactly representable in <paramref name="to"/>.</summary>
    public static bool IsLossless(DataType from, DataType to) => from == to || (from, to) switch
    {
        (DataType.Bool, _) => to.IsNumeric(),
        (DataType.Float16, DataType.Float32 or DataType.Float64) => true,
        (DataType.BFloat16, DataType.Float32 or DataType.Float64) => true,
        (DataType.Float32, DataType.Float64) => true,
        (DataType.Int8, DataType.Int16 or DataType.Int32 or DataType.Int64 or DataType.Float16 or DataType.Float32 or DataType.Float64) => true,
        (DataType.UInt8, DataType.Int16 or DataType.UInt16 or DataType.Int32 or DataType.UInt32 or DataType.Int64 or DataType.UInt64 or DataType.Float16 or DataType.Float32 or DataType.Float64) => true,
        (DataType.Int16, DataType.Int32 or DataType.Int64 or DataType.Float32 or DataType.Float64) => true,
        (DataType.UInt16, DataType.Int32 or DataType.UInt32 or DataType.Int64 or DataType.UInt64 or DataType.Float32 or DataType.Float64) => true,
        (DataType.Int32, DataType.Int64 or DataType.Float64) => true,
        (DataType.UInt32, DataType.Int64 or DataType.UInt64 or DataType.Float64) => true,
        _ => false,
    };

    protected override bool TryRewrite(GraphEditor editor, Node node)
    {
        if (!IsCast(node) || !node.HasInput(0))
        {
            return false;
        }

        var to = (DataType)node.Attributes.GetInt("to");
        var source = editor.ElementTypeOf(node.Inputs[0]);
        if (source == to && source != DataType.Undefined)
        {
            return editor.Bypass(node, node.Inputs[0]);
        }

        if (editor.Producer(node.Inputs[0]) is not { } first || !IsCast(first) || !first.HasInput(0))
        {
            return false;
        }

        var original = editor.ElementTypeOf(first.Inputs[0]);
        var middle = (DataType)first.Attributes.GetInt("to");
        if (original == DataType.Undefined || original == DataType.String || to == DataType.String || !IsLossless(original, middle))
        {
            return false;
        }

        if (original == to)
        {
            return editor.Bypass(node, first.Inputs[0]);
        }

        node.Inputs[0] = first.Inputs[0];
        editor.Invalidate();
        return true;
    }

    private static bool IsCast(Node node) =>
        node.Domain.Length == 0 && node.OpType == "Cast" && node.Outputs.Count == 1 && node.Attributes.Contains("to") && !node.Attributes.Contains("saturate");
}
