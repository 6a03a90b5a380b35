using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Threading;
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

    /// <summary>
    /// Output elements per thread below which a float broadcast stays on one thread (a load-load-op-store runs at
    /// several elements per ns, and between a session's nodes the pool's workers are spinning, not parked).
    /// </summary>
    internal static int BinaryGrain { get; set; } = 1 << 14;

    /// <summary>c = op(a, b) with broadcasting, scalar inner loop (any element types).</summary>
    public static void Run<TIn, TOut, TOp>(ReadOnlySpan<TIn> a, ReadOnlySpan<int> aDims, ReadOnlySpan<TIn> b, ReadOnlySpan<int> bDims, Span<TOut> c, ReadOnlySpan<int> cDims)
        where TOp : struct, IBinaryOperator<TIn, TOut> =>
        Walk<TIn, TOut, ScalarInner<TIn, TOut, TOp>>(a, aDims, b, bDims, c, cDims);

    /// <summary>c = op(a, b) with broadcasting over floats, vectorized inner loop.</summary>
    public static void RunFloat<TOp>(ReadOnlySpan<float> a, ReadOnlySpan<int> aDims, ReadOnlySpan<float> b, ReadOnlySpan<int> bDims, Span<float> c, ReadOnlySpan<int> cDims)
        where TOp : struct, IVectorBinaryOperator =>
        RunFloat<TOp>(a, aDims, b, bDims, c, cDims, degree: 1);

    /// <summary>
    /// As <see cref="RunFloat{TOp}(ReadOnlySpan{float}, ReadOnlySpan{int}, ReadOnlySpan{float}, ReadOnlySpan{int}, Span{float}, ReadOnlySpan{int})"/>
    /// on up to <paramref name="degree"/> threads once c has at least two grains of elements: the outer runs are split
    /// into contiguous ranges (each thread starts its odometer at its first run), or, when there is one long run
    /// (same shapes, scalar operand), the run itself is split on 8-element boundaries.
    /// </summary>
    public static unsafe void RunFloat<TOp>(ReadOnlySpan<float> a, ReadOnlySpan<int> aDims, ReadOnlySpan<float> b, ReadOnlySpan<int> bDims, Span<float> c, ReadOnlySpan<int> cDims, int degree)
        where TOp : struct, IVectorBinaryOperator
    {
        if (c.Length == 0)
        {
            return;
        }

        var plan = new Plan(aDims, bDims, cDims, allowPeriodic: true);
        if (degree <= 1 || c.Length < 2 * BinaryGrain)
        {
            // One thread, still through the periodic plan: a blocked [N, C/16, H, W, 16] times [N, C/16, 1, 1, 16]
            // walked as 16-float runs pays the odometer every 16 elements (6x slower than the periodic loop).
            if (plan.IsPeriodic)
            {
                WalkRuns<float, float, PeriodicInner<TOp>>(in plan, a, b, c, 0, plan.Outer);
            }
            else
            {
                WalkRuns<float, float, VectorInner<TOp>>(in plan, a, b, c, 0, plan.Outer);
            }

            return;
        }

        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            var work = new FloatChunks<TOp>(plan, pa, a.Length, pb, b.Length, pc);
            if (plan.Outer == 1)
            {
                int period = -Math.Min(Math.Min(plan.AStep, plan.BStep), 0);
                ParallelFor.Range(plan.Inner, degree, BinaryGrain, work, period > 0 ? period : Vector256<float>.Count);
            }
            else
            {
                int minRuns = Math.Max(1, BinaryGrain / plan.Inner);
                ParallelFor.Range(plan.Outer, degree, minRuns, work);
            }
        }
    }

    private static void Walk<TIn, TOut, TInner>(ReadOnlySpan<TIn> a, ReadOnlySpan<int> aDims, ReadOnlySpan<TIn> b, ReadOnlySpan<int> bDims, Span<TOut> c, ReadOnlySpan<int> cDims)
        where TInner : struct, IInnerLoop<TIn, TOut>
    {
        if (c.Length == 0)
        {
            return;
        }

        var plan = new Plan(aDims, bDims, cDims);
        WalkRuns<TIn, TOut, TInner>(in plan, a, b, c, 0, plan.Outer);
    }

    /// <summary>Runs the inner loop over outer runs [first, end) of <paramref name="plan"/>.</summary>
    private static void WalkRuns<TIn, TOut, TInner>(in Plan plan, ReadOnlySpan<TIn> a, ReadOnlySpan<TIn> b, Span<TOut> c, int first, int end)
        where TInner : struct, IInnerLoop<TIn, TOut>
    {
        int split = plan.Split;
        int inner = plan.Inner;
        var cDims = plan.CDims;
        var aStride = plan.AStride;
        var bStride = plan.BStride;
        Span<int> index = stackalloc int[split];
        long aOff = 0;
        long bOff = 0;

        // The odometer's start: run `first` decomposed row-major over the outer dims.
        long rest = first;
        for (int d = split - 1; d >= 0; d--)
        {
            index[d] = (int)(rest % cDims[d]);
            rest /= cDims[d];
            aOff += index[d] * aStride[d];
            bOff += index[d] * bStride[d];
        }

        for (int o = first; o < end; o++)
        {
            TInner.Run(a.Slice((int)aOff), plan.AStep, b.Slice((int)bOff), plan.BStep, c.Slice(o * inner, inner));

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

    /// <summary>
    /// The (outer index, inner run) decomposition of c: the inner run is the longest suffix of dims over which each
    /// input either advances contiguously (step 1) or repeats one element (step 0); dims [0, Split) are walked outside.
    /// </summary>
    private struct Plan
    {
        /// <summary>Ranks up to this keep their dims and strides inline (a plan is made per Run: no heap allocation).</summary>
        private const int InlineRank = 8;

        private InlineInts _cDims;
        private InlineLongs _aStride;
        private InlineLongs _bStride;
        private readonly int[]? _cDimsHeap;
        private readonly long[]? _aStrideHeap;
        private readonly long[]? _bStrideHeap;
        private readonly int _rank;

        /// <summary>Longest run joined into a periodic one (short runs, such as NCHWc's 16 lanes, pay the odometer per run).</summary>
        private const int MaxPeriod = 64;

        public Plan(ReadOnlySpan<int> aDims, ReadOnlySpan<int> bDims, ReadOnlySpan<int> cDims, bool allowPeriodic = false)
        {
            int rank = cDims.Length;
            _rank = rank;
            if (rank > InlineRank)
            {
                _cDimsHeap = new int[rank];
                _aStrideHeap = new long[rank];
                _bStrideHeap = new long[rank];
            }

            cDims.CopyTo(WritableCDims);
            Strides(aDims, cDims, WritableAStride);
            Strides(bDims, cDims, WritableBStride);
            ReadOnlySpan<long> AStride = WritableAStride;
            ReadOnlySpan<long> BStride = WritableBStride;

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

                bool ac = AStride[d] != 0;
                bool bc = BStride[d] != 0;
                if ((aContig is not null && aContig != ac) || (bContig is not null && bContig != bc)
                    || (ac && AStride[d] != aExpect) || (bc && BStride[d] != bExpect))
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

            long total = 1;
            foreach (int d in cDims)
            {
                total *= d;
            }

            AStep = aContig == false ? 0 : 1;
            BStep = bContig == false ? 0 : 1;

            // A short run both inputs read contiguously, with one input repeating it over the dims just outside (a
            // blocked [N, C/16, H, W, 16] times [N, C/16, 1, 1, 16]): one longer run, that input periodic.
            if (allowPeriodic && AStep == 1 && BStep == 1 && inner <= MaxPeriod && split > 0)
            {
                bool? aRepeats = null;
                int repeat = 1;
                for (int d = split - 1; d >= 0; d--)
                {
                    if (cDims[d] == 1)
                    {
                        continue;
                    }

                    bool ar = AStride[d] == 0 && BStride[d] == bExpect;
                    bool br = BStride[d] == 0 && AStride[d] == aExpect;
                    if (!(ar || br) || (aRepeats is { } side && side != ar))
                    {
                        break;
                    }

                    aRepeats = ar;
                    repeat *= cDims[d];
                    aExpect = ar ? aExpect : aExpect * cDims[d];
                    bExpect = ar ? bExpect * cDims[d] : bExpect;
                    split = d;
                }

                if (repeat > 1)
                {
                    // Dims of size 1 between the run and the repeated dims leave split where it is.
                    while (split > 0 && cDims[split - 1] == 1)
                    {
                        split--;
                    }

                    AStep = aRepeats == true ? -inner : 1;
                    BStep = aRepeats == true ? 1 : -inner;
                    inner *= repeat;
                }
            }

            Inner = inner;
            Split = split;
            Outer = (int)(total / Math.Max(inner, 1));
        }

        [UnscopedRef]
        public readonly ReadOnlySpan<int> CDims => _cDimsHeap ?? ((ReadOnlySpan<int>)_cDims)[.._rank];

        [UnscopedRef]
        public readonly ReadOnlySpan<long> AStride => _aStrideHeap ?? ((ReadOnlySpan<long>)_aStride)[.._rank];

        [UnscopedRef]
        public readonly ReadOnlySpan<long> BStride => _bStrideHeap ?? ((ReadOnlySpan<long>)_bStride)[.._rank];

        public int Inner { get; }

        public int Outer { get; }

        public int Split { get; }

        public int AStep { get; }

        public int BStep { get; }

        /// <summary>One input repeats a short run (its step is minus the period); only plans made with allowPeriodic.</summary>
        public readonly bool IsPeriodic => AStep < 0 || BStep < 0;

        [UnscopedRef]
        private Span<int> WritableCDims => _cDimsHeap ?? ((Span<int>)_cDims)[.._rank];

        [UnscopedRef]
        private Span<long> WritableAStride => _aStrideHeap ?? ((Span<long>)_aStride)[.._rank];

        [UnscopedRef]
        private Span<long> WritableBStride => _bStrideHeap ?? ((Span<long>)_bStride)[.._rank];

        [InlineArray(InlineRank)]
        private struct InlineInts
        {
            private int _element;
        }

        [InlineArray(InlineRank)]
        private struct InlineLongs
        {
            private long _element;
        }
    }

    /// <summary>One thread's share of a parallel float broadcast: a range of outer runs, or (one run) a range of its elements.</summary>
    private readonly unsafe struct FloatChunks<TOp>(Plan plan, float* a, int aLength, float* b, int bLength, float* c) : IRangeWork
        where TOp : struct, IVectorBinaryOperator
    {
        public void Invoke(int start, int end)
        {
            if (plan.Outer == 1)
            {
                int n = end - start;
                var aSpan = plan.AStep <= 0 ? new ReadOnlySpan<float>(a, aLength) : new ReadOnlySpan<float>(a + start, n);
                var bSpan = plan.BStep <= 0 ? new ReadOnlySpan<float>(b, bLength) : new ReadOnlySpan<float>(b + start, n);
                if (plan.IsPeriodic)
                {
                    PeriodicInner<TOp>.Run(aSpan, plan.AStep, bSpan, plan.BStep, new Span<float>(c + start, n));
                }
                else
                {
                    VectorInner<TOp>.Run(aSpan, plan.AStep, bSpan, plan.BStep, new Span<float>(c + start, n));
                }

                return;
            }

            var cSpan = new Span<float>(c, plan.Outer * plan.Inner);
            if (plan.IsPeriodic)
            {
                WalkRuns<float, float, PeriodicInner<TOp>>(in plan, new ReadOnlySpan<float>(a, aLength), new ReadOnlySpan<float>(b, bLength), cSpan, start, end);
            }
            else
            {
                WalkRuns<float, float, VectorInner<TOp>>(in plan, new ReadOnlySpan<float>(a, aLength), new ReadOnlySpan<float>(b, bLength), cSpan, start, end);
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

/// <summary>The inner loop of a periodic plan (one step is minus the period); vector runs per period.</summary>
internal readonly struct PeriodicInner<TOp> : IInnerLoop<float, float>
    where TOp : struct, IVectorBinaryOperator
{
    public static void Run(ReadOnlySpan<float> a, int aStep, ReadOnlySpan<float> b, int bStep, Span<float> c) => RunPeriodic(a, aStep, b, bStep, c);

    /// <summary>One input periodic (step -P: element i reads i % P), the other contiguous: each period is run as its own span.</summary>
    private static void RunPeriodic(ReadOnlySpan<float> a, int aStep, ReadOnlySpan<float> b, int bStep, Span<float> c)
    {
        int period = aStep < 0 ? -aStep : -bStep;
        int start = 0;
        if (Vector256.IsHardwareAccelerated && UnaryDriver.AllowVectors && period % Vector256<float>.Count == 0)
        {
            bool aPeriodic = aStep < 0;
            ref float ar = ref MemoryMarshal.GetReference(a);
            ref float br = ref MemoryMarshal.GetReference(b);
            ref float cr = ref MemoryMarshal.GetReference(c);
            for (; start + period <= c.Length; start += period)
            {
                for (int j = 0; j < period; j += Vector256<float>.Count)
                {
                    var x = Vector256.LoadUnsafe(ref ar, (nuint)(aPeriodic ? j : start + j));
                    var y = Vector256.LoadUnsafe(ref br, (nuint)(aPeriodic ? start + j : j));
                    TOp.Invoke(x, y).StoreUnsafe(ref cr, (nuint)(start + j));
                }
            }
        }

        for (; start < c.Length; start += period)
        {
            int n = Math.Min(period, c.Length - start);
            VectorInner<TOp>.Run(aStep < 0 ? a[..n] : a.Slice(start, n), 1, bStep < 0 ? b[..n] : b.Slice(start, n), 1, c.Slice(start, n));
        }
    }
}
