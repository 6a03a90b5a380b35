using OpenAutoGlm.Core;

namespace OpenAutoGlm.Backends.Cpu.Tests.Elementwise;

/// <summary>Inputs and naive oracles for elementwise tests: explicit index arithmetic, independent of the kernels' drivers.</summary>
internal static class ElementwiseTestData
{
    /// <summary>Lengths that cover empty, scalar-tail-only, one Vector128, one Vector256 and mixed tails.</summary>
    public static readonly int[] Lengths = [0, 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 64, 67, 1000];

    public static Tensor<float> Floats(int[] dims, int seed, double lo = -1, double hi = 1)
    {
        var rng = new Random(seed);
        var t = new Tensor<float>(dims);
        for (int i = 0; i < t.Length; i++)
        {
            t[i] = (float)(lo + (rng.NextDouble() * (hi - lo)));
        }

        return t;
    }

    public static Tensor<double> Doubles(int[] dims, int seed, double lo = -1, double hi = 1)
    {
        var rng = new Random(seed);
        var t = new Tensor<double>(dims);
        for (int i = 0; i < t.Length; i++)
        {
            t[i] = lo + (rng.NextDouble() * (hi - lo));
        }

        return t;
    }

    public static Tensor<T> Map<TIn, T>(Tensor<TIn> x, Func<TIn, T> f)
        where TIn : unmanaged
        where T : unmanaged
    {
        var y = new Tensor<T>(x.Dims);
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = f(x[i]);
        }

        return y;
    }

    /// <summary>c[i] = f(a[i'], b[i'']) under numpy broadcasting, by per-element index decomposition.</summary>
    public static Tensor<TOut> Broadcast<TIn, TOut>(Tensor<TIn> a, Tensor<TIn> b, Func<TIn, TIn, TOut> f)
        where TIn : unmanaged
        where TOut : unmanaged
    {
        var dims = ShapeRules.Broadcast(a.Dims, b.Dims);
        var c = new Tensor<TOut>(dims);
        var idx = new int[dims.Length];
        for (int i = 0; i < c.Length; i++)
        {
            Unravel(i, dims, idx);
            c[i] = f(a[Offset(a.Dims, idx)], b[Offset(b.Dims, idx)]);
        }

        return c;
    }

    public static void Unravel(int flat, int[] dims, int[] idx)
    {
        for (int d = dims.Length - 1; d >= 0; d--)
        {
            idx[d] = flat % dims[d];
            flat /= dims[d];
        }
    }

    /// <summary>Offset into a tensor of <paramref name="dims"/> broadcast to the index <paramref name="idx"/> of a higher or equal rank.</summary>
    public static int Offset(ReadOnlySpan<int> dims, int[] idx)
    {
        int off = 0;
        int shift = idx.Length - dims.Length;
        for (int d = 0; d < dims.Length; d++)
        {
            off = (off * dims[d]) + (dims[d] == 1 ? 0 : idx[d + shift]);
        }

        return off;
    }
}
