using OpenAutoGlm.Core;

namespace OpenAutoGlm.Backends.Cpu.Tests.Nn;

/// <summary>
/// Random inputs and index arithmetic for the Nn and Reduction reference tests. The oracles built on it walk
/// coordinates one element at a time (no strides tricks, no blocking), so they share nothing with the kernels.
/// </summary>
internal static class NnTestData
{
    /// <summary>Uniform values in [lo, hi) as float32.</summary>
    public static Tensor<float> Floats(int seed, int[] dims, double lo = -1, double hi = 1)
    {
        var rng = new Random(seed);
        var t = new Tensor<float>(dims);
        for (int i = 0; i < t.Length; i++)
        {
            t[i] = (float)(lo + (rng.NextDouble() * (hi - lo)));
        }

        return t;
    }

    /// <summary>Uniform values in [lo, hi) as float64.</summary>
    public static Tensor<double> Doubles(int seed, int[] dims, double lo = -1, double hi = 1)
    {
        var rng = new Random(seed);
        var t = new Tensor<double>(dims);
        for (int i = 0; i < t.Length; i++)
        {
            t[i] = lo + (rng.NextDouble() * (hi - lo));
        }

        return t;
    }

    /// <summary>Random values of <paramref name="type"/>: floats in [-2, 2) (rounded to the type), integers in [lo, hi).</summary>
    public static Tensor Random(DataType type, int seed, int[] dims, int lo = -5, int hi = 6)
    {
        var rng = new Random(seed);
        var values = new double[Product(dims)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = type.IsFloatingPoint() ? (rng.NextDouble() * 4) - 2 : rng.Next(lo, hi);
        }

        return FromDoubles(type, values, dims);
    }

    /// <summary>A tensor of <paramref name="type"/> holding <paramref name="values"/> (rounded / truncated to the type).</summary>
    public static Tensor FromDoubles(DataType type, double[] values, int[] dims)
    {
        var t = Tensor.Allocate(type, dims);
        for (int i = 0; i < values.Length; i++)
        {
            double v = values[i];
            switch (type)
            {
                case DataType.Float32: t.AsSpan<float>()[i] = (float)v; break;
                case DataType.Float64: t.AsSpan<double>()[i] = v; break;
                case DataType.Float16: t.AsSpan<Half>()[i] = (Half)v; break;
                case DataType.BFloat16: t.AsSpan<BFloat16>()[i] = (BFloat16)(float)v; break;
                case DataType.Int8: t.AsSpan<sbyte>()[i] = (sbyte)v; break;
                case DataType.UInt8: t.AsSpan<byte>()[i] = (byte)v; break;
                case DataType.Int16: t.AsSpan<short>()[i] = (short)v; break;
                case DataType.UInt16: t.AsSpan<ushort>()[i] = (ushort)v; break;
                case DataType.Int32: t.AsSpan<int>()[i] = (int)v; break;
                case DataType.Int64: t.AsSpan<long>()[i] = (long)v; break;
                case DataType.UInt32: t.AsSpan<uint>()[i] = (uint)v; break;
                case DataType.UInt64: t.AsSpan<ulong>()[i] = (ulong)v; break;
                default: throw new ArgumentException($"no numeric storage for {type}");
            }
        }

        return t;
    }

    public static int Product(ReadOnlySpan<int> dims)
    {
        int p = 1;
        foreach (int d in dims)
        {
            p *= d;
        }

        return p;
    }

    /// <summary>The coordinate of flat index <paramref name="flat"/> in a row-major tensor of <paramref name="dims"/>.</summary>
    public static int[] Unravel(int flat, ReadOnlySpan<int> dims)
    {
        var c = new int[dims.Length];
        for (int d = dims.Length - 1; d >= 0; d--)
        {
            c[d] = flat % dims[d];
            flat /= dims[d];
        }

        return c;
    }

    /// <summary>Row-major flat index of <paramref name="coord"/> in <paramref name="dims"/>.</summary>
    public static int Linear(ReadOnlySpan<int> dims, ReadOnlySpan<int> coord)
    {
        int off = 0;
        for (int d = 0; d < dims.Length; d++)
        {
            off = (off * dims[d]) + coord[d];
        }

        return off;
    }

    /// <summary>Asserts an <see cref="AutoGlmException"/> whose message contains every fragment.</summary>
    public static void Rejects(Func<object> run, params string[] fragments)
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(run);
        foreach (string f in fragments)
        {
            Assert.Contains(f, ex.Message, StringComparison.Ordinal);
        }
    }
}
