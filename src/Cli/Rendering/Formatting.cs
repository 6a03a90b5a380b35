using System.Globalization;
using OpenAutoGlm.Core;

namespace OpenAutoGlm.Cli.Rendering;

/// <summary>Shared number and shape formatting for human output (invariant culture).</summary>
internal static class Formatting
{
    /// <summary>A dim list like <c>[batch,3,?]</c>; <c>?</c> for an unknown rank.</summary>
    public static string Shape(Shape? shape) => shape?.ToString() ?? "?";

    /// <summary>Compact number: integers without a fraction, others with 6 significant digits.</summary>
    public static string Number(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            return value.ToString(CultureInfo.InvariantCulture);
        }

        if (value == Math.Floor(value) && Math.Abs(value) < 1e15)
        {
            return value.ToString("0", CultureInfo.InvariantCulture);
        }

        return value.ToString("G6", CultureInfo.InvariantCulture);
    }

    /// <summary>Bytes with a binary unit: <c>1.5 KiB</c>.</summary>
    public static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.Length - 1)
        {
            v /= 1024;
            u++;
        }

        return u == 0 ? $"{bytes} B" : string.Create(CultureInfo.InvariantCulture, $"{v:0.##} {units[u]}");
    }

    /// <summary>A count with thousands separators: <c>1,234,567</c>.</summary>
    public static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    public static string Milliseconds(TimeSpan t) => string.Create(CultureInfo.InvariantCulture, $"{t.TotalMilliseconds:0.###} ms");
}
