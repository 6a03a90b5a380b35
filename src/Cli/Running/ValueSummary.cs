using OpenAutoGlm.Cli.Rendering;
using OpenAutoGlm.Core;

namespace OpenAutoGlm.Cli.Running;

/// <summary>One-line descriptions of run-time values: dtype, shape, min/max/mean and the first few elements.</summary>
internal static class ValueSummary
{
    public const int PreviewCount = 6;

    /// <summary>e.g. <c>float32 [1,3]  min=0.1 max=0.6 mean=0.333  [0.1, 0.3, 0.6]</c>.</summary>
    public static string Describe(DataValue value) => value switch
    {
        StringTensor s => $"string {s.ShapeString}  [{string.Join(", ", s.Data.Take(PreviewCount).Select(x => $"\"{x}\""))}{More(s.Length)}]",
        Tensor t => DescribeTensor(t),
        TensorSequence seq => $"sequence of {seq.Items.Count} {seq.ElementType.Name()} tensors" +
            (seq.Items.Count == 0 ? string.Empty : ": " + string.Join("; ", seq.Items.Take(3).Select(i => i.ShapeString)) + (seq.Items.Count > 3 ? "; ..." : string.Empty)),
        OptionalValue { Value: null } o => $"optional {o.ElementType}: empty",
        OptionalValue o => $"optional holding {Describe(o.Value!)}",
        _ => value.Type.ToString() ?? value.GetType().Name,
    };

    private static string DescribeTensor(Tensor t)
    {
        string head = $"{t.DataType.Name()} {t.ShapeString}";
        if (t.Length == 0)
        {
            return $"{head}  (empty)";
        }

        if (!t.DataType.IsNumeric() && t.DataType != DataType.Bool)
        {
            return head;
        }

        double[] values = t.ToDoubleArray();
        string preview = "[" + string.Join(", ", values.Take(PreviewCount).Select(v => t.DataType == DataType.Bool ? (v != 0 ? "true" : "false") : Formatting.Number(v))) + More(values.Length) + "]";
        if (t.DataType == DataType.Bool)
        {
            return $"{head}  true={values.Count(v => v != 0)}/{values.Length}  {preview}";
        }

        double min = double.PositiveInfinity;
        double max = double.NegativeInfinity;
        double sum = 0;
        int finite = 0;
        int nan = 0;
        foreach (double v in values)
        {
            if (double.IsNaN(v))
            {
                nan++;
                continue;
            }

            min = Math.Min(min, v);
            max = Math.Max(max, v);
            if (!double.IsInfinity(v))
            {
                sum += v;
                finite++;
            }
        }

        string stats = nan == values.Length
            ? "all NaN"
            : $"min={Formatting.Number(min)} max={Formatting.Number(max)} mean={(finite > 0 ? Formatting.Number(sum / finite) : "n/a")}" + (nan > 0 ? $" nan={nan}" : string.Empty);
        return $"{head}  {stats}  {preview}";
    }

    private static string More(int length) => length > PreviewCount ? ", ..." : string.Empty;
}
