using OpenAutoGlm.Core;

namespace OpenAutoGlm.TestKit;

/// <summary>Tensor comparisons with numpy-style tolerances: |a - e| &lt;= atol + rtol * |e|.</summary>
public static class TensorAssert
{
    /// <summary>Returns null when <paramref name="actual"/> matches <paramref name="expected"/>, else why not.</summary>
    public static string? Compare(Tensor expected, Tensor actual, double rtol = 1e-3, double atol = 1e-5)
    {
        if (expected.DataType != actual.DataType)
        {
            return $"dtype {actual.DataType.Name()} != expected {expected.DataType.Name()}";
        }

        if (!expected.Dims.SequenceEqual(actual.Dims))
        {
            return $"shape {actual.ShapeString} != expected {expected.ShapeString}";
        }

        if (expected is StringTensor es)
        {
            var acts = (StringTensor)actual;
            for (int i = 0; i < es.Length; i++)
            {
                if (es.Data[i] != acts.Data[i])
                {
                    return $"element {i}: '{acts.Data[i]}' != expected '{es.Data[i]}'";
                }
            }

            return null;
        }

        if (expected.DataType is DataType.Int64 or DataType.UInt64)
        {
            var ei = expected.AsBytes();
            var ai = actual.AsBytes();
            if (!ei.SequenceEqual(ai))
            {
                var el = expected.ToInt64Array();
                var al = actual.ToInt64Array();
                for (int i = 0; i < el.Length; i++)
                {
                    if (el[i] != al[i])
                    {
                        return $"element {i}: {al[i]} != expected {el[i]}";
                    }
                }
            }

            return null;
        }

        var e = expected.ToDoubleArray();
        var a = actual.ToDoubleArray();
        bool exact = !expected.DataType.IsFloatingPoint();
        int bad = 0;
        string? first = null;
        for (int i = 0; i < e.Length; i++)
        {
            bool ok = double.IsNaN(e[i]) ? double.IsNaN(a[i])
                : double.IsInfinity(e[i]) ? e[i] == a[i]
                : exact ? e[i] == a[i]
                : Math.Abs(a[i] - e[i]) <= atol + (rtol * Math.Abs(e[i]));
            if (!ok)
            {
                bad++;
                first ??= $"element {i}: {a[i]} != expected {e[i]}";
            }
        }

        return bad == 0 ? null : $"{bad} of {e.Length} elements differ; first {first}";
    }

    public static void Close(Tensor expected, Tensor actual, double rtol = 1e-3, double atol = 1e-5)
    {
        if (Compare(expected, actual, rtol, atol) is { } why)
        {
            throw new Xunit.Sdk.XunitException(why);
        }
    }

    /// <summary>Shorthand: compares a float tensor against expected values and dims.</summary>
    public static void Close(float[] expected, int[] dims, Tensor actual, double rtol = 1e-4, double atol = 1e-6) =>
        Close(Tensor.Create(expected, dims), actual, rtol, atol);
}
