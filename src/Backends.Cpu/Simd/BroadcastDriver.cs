using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using OpenAutoGlm.Core;

namespace OpenAutoGlm.Backends.Cpu.Simd;

/// <summary>
/// Numpy-style multidirectional broadcasting for binary elementwise ops. The output is walked as
/// (outer index, inner run): the inner run is the longest suffix of dims over which each input either
/// advances contiguously (step 1) or repeats one element (step 0), so the op's loop sees plain spans.
/// </summary>
internal static class BroadcastDriver
{
    /// <summary>Output dims for inputs <paramref name="a"/> and <paramref name="b"/>; throws naming both shapes when incompatible.</summary>
    public static int[] OutputDims(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => ShapeRules.Broadcast(a, b);

    /// <summary>c = op(a, b) with broadcasting, scalar inner loop (any element types).</summary>
    public static void Run<TIn, TOut, TOp>(ReadOnlySpan<TIn> a, ReadOnlySpan<int> aDims, ReadOnlySpan<TIn> b, ReadOnlySpan<int> bDims, Span<TOut> c, ReadOnlySpan<int> cDims)
        where TOp : struct, IBinaryOperator<TIn, TOut> =>
        Walk<TIn, TOut, ScalarInner<TIn, TOut, TOp>>(a, aDims, b, bDims, c, cDims);

    /// <summary>c = op(a, b) with broadcasting over floats, vectorized inner loop.</summary>
    public static void RunFloat<TOp>(ReadOnlySpan<float> a, ReadOnlySpan<int> aDims, ReadOnlySpan<float> b, ReadOnlySpan<int> bDims, Span<float> c, ReadOnlySpan<int> cDims)
        where TOp : struct, IVectorBinaryOperator =>
        Walk<float, float, VectorInner<TOp>>(a, aDims, b, bDims, c, cDims);

    private static void Walk<TIn, TOut, TInner>(ReadOnlySpan<TIn> a, ReadOnlySpan<int> aDims, ReadOnlySpan<TIn> b, ReadOnlySpan<int> bDims, Span<TOut> c, ReadOnlySpan<int> cDims)
        where TInner : struct, IInnerLoop<TIn, TOut>
    {
        int rank = cDims.Length;
        Span<long> aStride = stackalloc long[rank];
        Span<long> bStride = stackalloc long[rank];
        Strides(aDims, cDims, aStride);
        Strides(bDims, cDims, bStride);

        // Find the inner run: trailing dims where each input's step pattern (contiguous or broadcast) is uniform.
        int inner = 1;
        int split = rank;
        bool? aContig = null;
        bool? bContig = null;
        long aExpect = 1;
        long bExpect = 1;
        for (int d = rank - 1; d >= 0; d--)
        {
            if (cDims[d] == 1)
            {
                split = d;
                continue;
            }

            bool ac = aStride[d] != 0;
            bool bc = bStride[d] != 0;
            if ((aContig is not null && aContig != ac) || (bContig is not null && bContig != bc)
                || (ac && aStride[d] != aExpect) || (bc && bStride[d] != bExpect))
            {
                break;
            }

            aContig = ac;
            bContig = bc;
            inner *= cDims[d];
            aExpect = ac ? aExpect * cDims[d] : aExpect;
            bExpect = bc ? bExpect * cDims[d] : bExpect;
            split = d;
        }

        int aStep = aContig == false ? 0 : 1;
        int bStep = bContig == false ? 0 : 1;
        int outer = c.Length / Math.Max(inner, 1);
        if (c.Length == 0)
        {
            return;
        }

        Span<int> index = stackalloc int[split];
        index.Clear();
        long aOff = 0;
        long bOff = 0;
        for (int o = 0; o < outer; o++)
        {
            TInner.Run(a.Slice((int)aOff), aStep, b.Slice((int)bOff), bStep, c.Slice(o * inner, inner));

            // Odometer over the outer dims, keeping offsets in step.
            for (int d = split - 1; d >= 0; d--)
            {
                index[d]++;
                aOff += aStride[d];
                bOff += bStride[d];
                if (index[d] < cDims[d])
                {
                    break;
                }

                aOff -= aStride[d] * cDims[d];
                bOff -= bStride[d] * cDims[d];
                index[d] = 0;
            }
        }
    }

    /// <summary>Element strides of an input aligned to the output's rank; 0 along broadcast dims.</summary>
    public static void Strides(ReadOnlySpan<int> dims, ReadOnlySpan<int> outDims, Span<long> strides)
    {
        int offset = outDims.Length - dims.Length;
        long s = 1;
        for (int d = outDims.Length - 1; d >= 0; d--)
        {
            int k = d - offset;
            if (k < 0 || dims[k] == 1)
            {
                strides[d] = 0;
            }
            else
            {
                strides[d] = s;
            }

            if (k >= 0)
            {
                s *= dims[k];
            }
        }
    }
}

/// <summary>The loop over one inner run; steps are 0 (broadcast element) or 1 (contiguous).</summary>
internal interface IInnerLoop<TIn, TOut>
{
    static abstract void Run(ReadOnlySpan<TIn> a, int aStep, ReadOnlySpan<TIn> b, int bStep, Span<TOut> c);
}

internal readonly struct ScalarInner<TIn, TOut, TOp> : IInnerLoop<TIn, TOut>
    where TOp : struct, IBinaryOperator<TIn, TOut>
{
    public static void Run(ReadOnlySpan<TIn> a, int aStep, ReadOnlySpan<TIn> b, int bStep, Span<TOut> c)
    {
        for (int i = 0; i < c.Length; i++)
        {
            c[i] = TOp.Invoke(a[i * aStep], b[i * bStep]);
        }
    }
}

internal readonly struct VectorInner<TOp> : IInnerLoop<float, float>
    where TOp : struct, IVectorBinaryOperator
{
    public static void Run(ReadOnlySpan<float> a, int aStep, ReadOnlySpan<float> b, int bStep, Span<float> c)
    {
        int n = c.Length;
        int i = 0;
        ref float ar = ref MemoryMarshal.GetReference(a);
        ref float br = ref MemoryMarshal.GetReference(b);
        ref float cr = ref MemoryMarshal.GetReference(c);
        if (Vector256.IsHardwareAccelerated && UnaryDriver.AllowVectors)
        {
            var av = Vector256.Create(a[0]);
            var bv = Vector256.Create(b[0]);
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var x = aStep == 0 ? av : Vector256.LoadUnsafe(ref ar, (nuint)i);
                var y = bStep == 0 ? bv : Vector256.LoadUnsafe(ref br, (nuint)i);
                TOp.Invoke(x, y).StoreUnsafe(ref cr, (nuint)i);
            }
        }

        if (Vector128.IsHardwareAccelerated && UnaryDriver.AllowVectors)
        {
            var av = Vector128.Create(a[0]);
            var bv = Vector128.Create(b[0]);
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                var x = aStep == 0 ? av : Vector128.LoadUnsafe(ref ar, (nuint)i);
                var y = bStep == 0 ? bv : Vector128.LoadUnsafe(ref br, (nuint)i);
                TOp.Invoke(x, y).StoreUnsafe(ref cr, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            c[i] = TOp.Invoke(a[i * aStep], b[i * bStep]);
        }
    }
}
