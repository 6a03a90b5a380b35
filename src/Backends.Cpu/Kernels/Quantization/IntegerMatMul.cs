using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Quantization;

/// <summary>
/// numpy.matmul over int32 operands with broadcast batch dims, plus the per-row / per-column parameter layouts of
/// MatMulInteger and QLinearMatMul (scalar, [M] or [batch..., M, 1] for a; scalar, [N] or [batch..., 1, N] for b).
/// </summary>
internal sealed class IntegerMatMul
{
    private IntegerMatMul(int[] aDims, int[] bDims, int[] batch, int[] outDims, int m, int k, int n)
    {
        ADims = aDims;
        BDims = bDims;
        Batch = batch;
        OutputDims = outDims;
        M = m;
        K = k;
        N = n;
    }

    /// <summary>a's dims with a 1-D operand promoted to [1, K].</summary>
    public int[] ADims { get; }

    /// <summary>b's dims with a 1-D operand promoted to [K, 1].</summary>
    public int[] BDims { get; }

    public int[] Batch { get; }

    public int[] OutputDims { get; }

    public int M { get; }

    public int K { get; }

    public int N { get; }

    public static IntegerMatMul Plan(KernelContext context, Tensor a, Tensor b)
    {
        if (a.Rank == 0 || b.Rank == 0)
        {
            throw context.Error($"matmul operands must have rank >= 1, got shapes {a.ShapeString} and {b.ShapeString}");
        }

        int[] aDims = a.Rank == 1 ? [1, a.Dims[0]] : a.DimsArray();
        int[] bDims = b.Rank == 1 ? [b.Dims[0], 1] : b.DimsArray();
        int m = aDims[^2];
        int k = aDims[^1];
        int n = bDims[^1];
        if (bDims[^2] != k)
        {
            throw context.Error($"inner dimensions differ: {a.ShapeString} x {b.ShapeString}");
        }

        int[] batch;
        try
        {
            batch = ShapeRules.Broadcast(aDims.AsSpan(0, aDims.Length - 2), bDims.AsSpan(0, bDims.Length - 2));
        }
        catch (ShapeInferenceException ex)
        {
            throw context.Error($"batch dimensions of {a.ShapeString} and {b.ShapeString} do not broadcast: {ex.Message}");
        }

        var outDims = batch.ToList();
        if (a.Rank > 1)
        {
            outDims.Add(m);
        }

        if (b.Rank > 1)
        {
            outDims.Add(n);
        }

        return new IntegerMatMul(aDims, bDims, batch, outDims.ToArray(), m, k, n);
    }

    /// <summary>y[batch, i, j] = sum_k a[batch, i, k] * b[batch, k, j] over broadcast batches; int32 accumulation.</summary>
    public int[] Multiply(int[] a, int[] b)
    {
        int batchCount = AxisOps.Product(Batch);
        var y = new int[batchCount * M * N];
        var index = new int[Batch.Length];
        for (int bi = 0; bi < batchCount; bi++)
        {
            int aOff = BatchOffset(ADims, index) * M * K;
            int bOff = BatchOffset(BDims, index) * K * N;
            int yOff = bi * M * N;
            for (int i = 0; i < M; i++)
            {
                for (int kk = 0; kk < K; kk++)
                {
                    int av = a[aOff + (i * K) + kk];
                    if (av == 0)
                    {
                        continue;
                    }

                    int bRow = bOff + (kk * N);
                    int yRow = yOff + (i * N);
                    for (int j = 0; j < N; j++)
                    {
                        y[yRow + j] = unchecked(y[yRow + j] + (av * b[bRow + j]));
                    }
                }
            }

            for (int d = Batch.Length - 1; d >= 0 && ++index[d] == Batch[d]; d--)
            {
                index[d] = 0;
            }
        }

        return y;
    }

    /// <summary>Maps element i of a (promoted [batch..., M, K]) to its row parameter index for a parameter of <paramref name="length"/> elements.</summary>
    public static Func<int, int> RowParameter(KernelContext context, int length, int[] dims, string what)
    {
        int m = dims[^2];
        int k = dims[^1];
        int batch = AxisOps.Product(dims.AsSpan(0, dims.Length - 2));
        if (length == 1)
        {
            return _ => 0;
        }

        if (length == m)
        {
            return i => (i / k) % m;
        }

        if (length == batch * m)
        {
            return i => i / k;
        }

        throw context.Error($"{what} has {length} elements; expected 1, {m} (per row) or {batch * m}");
    }

    /// <summary>Maps element i of b (promoted [batch..., K, N]) to its column parameter index.</summary>
    public static Func<int, int> ColumnParameter(KernelContext context, int length, int[] dims, string what)
    {
        int k = dims[^2];
        int n = dims[^1];
        int batch = AxisOps.Product(dims.AsSpan(0, dims.Length - 2));
        if (length == 1)
        {
            return _ => 0;
        }

        if (length == n)
        {
            return i => i % n;
        }

        if (length == batch * n)
        {
            return i => ((i / (k * n)) * n) + (i % n);
        }

        throw context.Error($"{what} has {length} elements; expected 1, {n} (per column) or {batch * n}");
    }

    /// <summary>Reads a quantized operand as int32 minus its zero point (per row or per column).</summary>
    public static int[] Centered(KernelContext context, Tensor t, Tensor? zeroPoint, Func<int, int>? parameter, string what)
    {
        int[] values = QuantMath.ToInt32(context, t, what);
        if (zeroPoint is null)
        {
            return values;
        }

        int[] zp = QuantMath.ZeroPoint(context, zeroPoint, t.DataType, $"{what} zero point");
        for (int i = 0; i < values.Length; i++)
        {
            values[i] -= zp[parameter!(i)];
        }

        return values;
    }

    // Offset (in matrices) of the operand's batch slice for a broadcast batch index.
    private int BatchOffset(int[] dims, int[] index)
    {
        int rank = dims.Length - 2;
        int shift = Batch.Length - rank;
        int offset = 0;
        for (int d = 0; d < rank; d++)
        {
            offset = (offset * dims[d]) + (dims[d] == 1 ? 0 : index[d + shift]);
        }

        return offset;
    }
}
