using System.Numerics;
using OpenAutoGlm.Backends.Cpu.Simd;
using Blas = OpenAutoGlm.Backends.Cpu.Simd.Gemm;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nn;

/// <summary>Batch layout of a numpy-style matmul: broadcast batch dims over [M, K] x [K, N] matrices.</summary>
internal sealed class BatchedMatMul
{
    private int[] _aDims = [];
    private int[] _bDims = [];

    private BatchedMatMul(int m, int n, int k, int[] outputDims, long[] aOffsets, long[] bOffsets)
    {
        M = m;
        N = n;
        K = k;
        OutputDims = outputDims;
        AOffsets = aOffsets;
        BOffsets = bOffsets;
    }

    public int M { get; }

    public int N { get; }

    public int K { get; }

    public int[] OutputDims { get; }

    /// <summary>Element offset of each output batch's A matrix (and B below).</summary>
    public long[] AOffsets { get; }

    public long[] BOffsets { get; }

    /// <summary>
    /// The plan for these operand dims: <paramref name="cache"/> when it was made for the same dims, else a new one
    /// stored there (plans are immutable, so a kernel may share its cache between concurrent runs; steady-state runs
    /// of a fixed shape then allocate nothing here).
    /// </summary>
    public static BatchedMatMul Plan(KernelContext ctx, ref BatchedMatMul? cache, ReadOnlySpan<int> aDims, ReadOnlySpan<int> bDims)
    {
        var plan = Volatile.Read(ref cache);
        if (plan is not null && aDims.SequenceEqual(plan._aDims) && bDims.SequenceEqual(plan._bDims))
        {
            return plan;
        }

        plan = Plan(ctx, aDims, bDims);
        plan._aDims = aDims.ToArray();
        plan._bDims = bDims.ToArray();
        Volatile.Write(ref cache, plan);
        return plan;
    }

    public static BatchedMatMul Plan(KernelContext ctx, ReadOnlySpan<int> aDims, ReadOnlySpan<int> bDims)
    {
        if (aDims.Length == 0 || bDims.Length == 0)
        {
            throw ctx.Error($"operands must have rank >= 1, got {Shape.Format(aDims)} and {Shape.Format(bDims)}");
        }

        int[] a2 = aDims.Length == 1 ? [1, aDims[0]] : aDims.ToArray();
        int[] b2 = bDims.Length == 1 ? [bDims[0], 1] : bDims.ToArray();
        int m = a2[^2];
        int k = a2[^1];
        int n = b2[^1];
        if (b2[^2] != k)
        {
            throw ctx.Error($"inner dimensions do not match: A {Shape.Format(aDims)} has K={k}, B {Shape.Format(bDims)} has K={b2[^2]}");
        }

        int[] aBatch = a2[..^2];
        int[] bBatch = b2[..^2];
        int[] batch;
        try
        {
            batch = ShapeRules.Broadcast(aBatch, bBatch);
        }
        catch (ShapeInferenceException)
        {
            throw ctx.Error($"batch dimensions of A {Shape.Format(aDims)} and B {Shape.Format(bDims)} cannot be broadcast");
        }

        var dims = new List<int>(batch);
        if (aDims.Length != 1)
        {
            dims.Add(m);
        }

        if (bDims.Length != 1)
        {
            dims.Add(n);
        }

        int count = 1;
        foreach (int d in batch)
        {
            count *= d;
        }

        var aOff = new long[count];
        var bOff = new long[count];
        var aStrides = new long[batch.Length];
        var bStrides = new long[batch.Length];
        BroadcastDriver.Strides(aBatch, batch, aStrides);
        BroadcastDriver.Strides(bBatch, batch, bStrides);
        var index = new int[batch.Length];
        for (int t = 0; t < count; t++)
        {
            long ao = 0;
            long bo = 0;
            for (int d = 0; d < batch.Length; d++)
            {
                ao += index[d] * aStrides[d];
                bo += index[d] * bStrides[d];
            }

            aOff[t] = ao * m * k;
            bOff[t] = bo * k * n;
            for (int d = batch.Length - 1; d >= 0 && ++index[d] == batch[d]; d--)
            {
                index[d] = 0;
            }
        }

        return new BatchedMatMul(m, n, k, [.. dims], aOff, bOff);
    }

    /// <summary>Y = A x B for every batch; the dtype decides the path (float SGEMM, half via float, generic otherwise).</summary>
    /// <remarks>
    /// <paramref name="packedB"/>: B packed once (a constant [K, N] weight), used when every batch shares B.
    /// <paramref name="colBias"/> (float32 only; empty = none): bias[j] added to every row of Y in the GEMM epilogue;
    /// then <paramref name="clamp"/> and <paramref name="post"/> (float32 only) on finished rows of Y.
    /// </remarks>
    public static void Run(
        KernelContext ctx, BatchedMatMul plan, Tensor a, Tensor b, Tensor y, PackedGemmMatrix? packedB = null, ReadOnlySpan<float> colBias = default,
        GemmClamp clamp = default, GemmPostOp? post = null)
    {
        if ((!colBias.IsEmpty || clamp.Enabled || post is not null) && a.DataType != DataType.Float32)
        {
            throw ctx.Error($"a fused bias or activation needs float32 operands, got {a.DataType.Name()}");
        }

        if (!colBias.IsEmpty && colBias.Length != plan.N)
        {
            throw ctx.Error($"the column bias has {colBias.Length} elements, expected N = {plan.N}");
        }

        switch (a.DataType)
        {
            case DataType.Float32:
                RunFloat(plan, a.AsSpan<float>(), b.AsSpan<float>(), y.AsSpan<float>(), ctx.IntraOpThreads, packedB, colBias, clamp, post);
                break;
            case DataType.Float16:
            case DataType.BFloat16:
                var yf = new float[y.Length];
                RunFloat(plan, FloatConversion.ToFloat(a), FloatConversion.ToFloat(b), yf, ctx.IntraOpThreads, null, default, default, null);
                FloatConversion.FromFloat(yf, y);
                break;
            case DataType.Float64: RunGeneric<double>(plan, a, b, y); break;
            case DataType.Int32: RunGeneric<int>(plan, a, b, y); break;
            case DataType.Int64: RunGeneric<long>(plan, a, b, y); break;
            case DataType.UInt32: RunGeneric<uint>(plan, a, b, y); break;
            case DataType.UInt64: RunGeneric<ulong>(plan, a, b, y); break;
            default:
                throw ctx.Error($"unsupported element type {a.DataType.Name()}");
        }
    }

    private static void RunFloat(
        BatchedMatMul plan, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y, int threads, PackedGemmMatrix? packedB, ReadOnlySpan<float> colBias,
        GemmClamp clamp, GemmPostOp? post)
    {
        int m = plan.M, n = plan.N, k = plan.K;
        int batches = plan.AOffsets.Length;
        bool sharedB = AllZero(plan.BOffsets);

        // When B is shared by every batch and A's batches are contiguous, the batches stack into one tall GEMM.
        if (IsStacked(plan.AOffsets, (long)m * k) && sharedB)
        {
            // A few rows against a packed weight (decoding): the bandwidth-bound GEMV.
            if (packedB is not null && GemmSmallM.TryRunPacked(batches * m, n, k, a, k, packedB, y, n, colBias, threads, clamp, post))
            {
                return;
            }

            Blas.Sgemm(
                false, false, batches * m, n, k, 1f, a, k, b, n, 0f, y, n, threads, packedB: packedB, colBias: colBias,
                final: new GemmFinalOps { Clamp = clamp, Post = post });
            return;
        }

        Blas.SgemmBatched(
            batches, false, false, m, n, k, 1f, a, k, plan.AOffsets, b, n, plan.BOffsets,
            0f, y, n, (long)m * n, threads, packedB: sharedB ? packedB : null, colBias: colBias,
            final: new GemmFinalOps { Clamp = clamp, Post = post });
    }

    private static void RunGeneric<T>(BatchedMatMul plan, Tensor a, Tensor b, Tensor y)
        where T : unmanaged, INumber<T>
    {
        int m = plan.M, n = plan.N, k = plan.K;
        var aSpan = a.AsSpan<T>();
        var bSpan = b.AsSpan<T>();
        var ySpan = y.AsSpan<T>();
        for (int t = 0; t < plan.AOffsets.Length; t++)
        {
            Blas.Generic(
                false, false, m, n, k, T.One,
                aSpan.Slice((int)plan.AOffsets[t], m * k), k,
                bSpan.Slice((int)plan.BOffsets[t], k * n), n,
                T.Zero, ySpan.Slice(t * m * n, m * n), n);
        }
    }

    private static bool IsStacked(long[] offsets, long step)
    {
        for (int i = 0; i < offsets.Length; i++)
        {
            if (offsets[i] != i * step)
            {
                return false;
            }
        }

        return true;
    }

    private static bool AllZero(long[] offsets) => Array.TrueForAll(offsets, o => o == 0);
}
