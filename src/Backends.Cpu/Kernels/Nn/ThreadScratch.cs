namespace OpenAutoGlm.Backends.Cpu.Kernels.Nn;

/// <summary>
/// Grow-only scratch arrays per thread for kernels whose work runs on pool threads (im2col slabs) where the
/// kernel context's scratch cannot be reached. Unlike ArrayPool.Shared, nothing is trimmed under memory pressure,
/// so a steady-state run allocates nothing; the cost is that each thread keeps its largest buffer (for the
/// slabbed 2-D path at most ~512 KB). A buffer is valid until the same thread asks again: callers must not nest.
/// </summary>
internal static class ThreadScratch
{
    [ThreadStatic]
    private static float[]? s_floats;

    [ThreadStatic]
    private static long[]? s_longs;

    [ThreadStatic]
    private static float[]? s_second;

    public static float[] Floats(int length) => s_floats is { } a && a.Length >= length ? a : s_floats = new float[Grow(length)];

    /// <summary>A second float buffer for a kernel that needs two at once (an im2col buffer and a transposed product).</summary>
    public static float[] Second(int length) => s_second is { } a && a.Length >= length ? a : s_second = new float[Grow(length)];

    public static long[] Longs(int length) => s_longs is { } a && a.Length >= length ? a : s_longs = new long[Grow(length)];

    private static int Grow(int length) => length <= 1024 ? 1024 : (int)Math.Min(Array.MaxLength, (long)length + (length / 4));
}
