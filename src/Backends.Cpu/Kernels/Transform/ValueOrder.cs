using OpenAutoGlm.Core;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Transform;

/// <summary>
/// A total order over element values for sorting kernels (TopK, Unique): numbers ascending with NaN above
/// everything (and equal to itself), -0.0 equal to 0.0, strings by ordinal, false before true.
/// </summary>
internal static class ValueOrder
{
    public static int Compare<T>(T a, T b)
    {
        if (typeof(T) == typeof(string))
        {
            return string.CompareOrdinal((string)(object)a!, (string)(object)b!);
        }

        bool nanA = IsNaN(a), nanB = IsNaN(b);
        if (nanA || nanB)
        {
            return nanA.CompareTo(nanB);
        }

        return Comparer<T>.Default.Compare(a, b);
    }

    public static bool IsNaN<T>(T value)
    {
        if (typeof(T) == typeof(float))
        {
            return float.IsNaN((float)(object)value!);
        }

        if (typeof(T) == typeof(double))
        {
            return double.IsNaN((double)(object)value!);
        }

        if (typeof(T) == typeof(Half))
        {
            return Half.IsNaN((Half)(object)value!);
        }

        if (typeof(T) == typeof(BFloat16))
        {
            return float.IsNaN((float)(BFloat16)(object)value!);
        }

        return false;
    }
}
