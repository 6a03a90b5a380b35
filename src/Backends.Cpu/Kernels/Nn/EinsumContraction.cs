using System.Numerics;
using System.Runtime.InteropServices;
using Blas = OpenAutoGlm.Backends.Cpu.Simd.Gemm;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nn;

/// <summary>One Einsum operand: row-major data whose axis a carries label Labels[a] (a label may repeat: diagonal).</summary>
internal readonly record struct EinsumOperand<T>(ReadOnlyMemory<T> Data, int[] Dims, int[] Labels);

/// <summary>
/// Evaluates an Einsum as a chain of pairwise contractions, left to right. Each operand first takes its diagonals and
/// sums out labels used nowhere else (one pass over the operand). A pair A, B then splits its labels into batch (in
/// both, still needed by the output or a later operand; size-1 dims broadcast), contracted K (in both, needed
/// nowhere else), M (A only) and N (B only); A is laid out as [batch, M, K], B as [batch, K, N] and each batch is one
/// GEMM (SGEMM for float32), giving [batch, M, N]. The last result is permuted into the output order. Work is
/// O(operand sizes + the GEMM flops), never the product of all label sizes.
/// </summary>
internal static class EinsumContraction
{
    public static void Evaluate<T>(EinsumOperand<T>[] operands, int[] outputLabels, int[] sizes, Span<T> output)
        where T : unmanaged, INumber<T>
    {
        var acc = Reduce(operands[0], label => outputLabels.Contains(label) || UsedBy(operands, 1, label));
        for (int i = 1; i < operands.Length; i++)
        {
            int next = i + 1;
            bool Needed(int label) => outputLabels.Contains(label) || UsedBy(operands, next, label);
            var b = Reduce(operands[i], label => Needed(label) || acc.Labels.Contains(label));
            acc = Reduce(acc, label => Needed(label) || b.Labels.Contains(label));
            acc = Contract(acc, b, Needed);
        }

        // Every output label now appears exactly once in acc; gather it in output order.
        var strides = RowMajorStrides(acc.Dims);
        var outStrides = new long[outputLabels.Length];
        var outDims = new int[outputLabels.Length];
        for (int o = 0; o < outputLabels.Length; o++)
        {
            int a = Array.IndexOf(acc.Labels, outputLabels[o]);
            outDims[o] = sizes[outputLabels[o]];
            outStrides[o] = a < 0 || acc.Dims[a] == 1 ? 0 : strides[a];
        }

        Gather(acc.Data.Span, outDims, outStrides, output);
    }

    private static bool UsedBy<T>(EinsumOperand<T>[] operands, int from, int label)
    {
        for (int i = from; i < operands.Length; i++)
        {
            if (operands[i].Labels.Contains(label))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The operand with one axis per distinct label (repeated labels take the diagonal) where <paramref name="keep"/>
    /// holds, the other labels summed out. Returns the operand itself when there is nothing to do.
    /// </summary>
    private static EinsumOperand<T> Reduce<T>(EinsumOperand<T> op, Func<int, bool> keep)
        where T : unmanaged, INumber<T>
    {
        var labels = op.Labels.Distinct().ToArray();
        if (labels.Length == op.Labels.Length && Array.TrueForAll(labels, l => keep(l)))
        {
            return op;
        }

        // Per distinct label: its size, the sum of the input strides of its axes, and its stride in the result (0 if summed).
        var inStrides = RowMajorStrides(op.Dims);
        var dims = new int[labels.Length];
        var labelIn = new long[labels.Length];
        var labelOut = new long[labels.Length];
        var kept = labels.Where(l => keep(l)).ToArray();
        var keptDims = new int[kept.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            for (int a = 0; a < op.Labels.Length; a++)
            {
                if (op.Labels[a] == labels[i])
                {
                    dims[i] = op.Dims[a];
                    labelIn[i] += inStrides[a];
                }
            }
        }

        long stride = 1;
        for (int k = kept.Length - 1; k >= 0; k--)
        {
            int i = Array.IndexOf(labels, kept[k]);
            keptDims[k] = dims[i];
            labelOut[i] = stride;
            stride *= dims[i];
        }

        var result = new T[checked((int)stride)];
        var src = op.Data.Span;
        int total = Product(dims);
        var idx = new int[labels.Length];
        long inOff = 0, outOff = 0;
        for (int n = 0; n < total; n++)
        {
            result[outOff] += src[(int)inOff];
            for (int d = labels.Length - 1; d >= 0; d--)
            {
                inOff += labelIn[d];
                outOff += labelOut[d];
                if (++idx[d] < dims[d])
                {
                    break;
                }

                inOff -= labelIn[d] * dims[d];
                outOff -= labelOut[d] * dims[d];
                idx[d] = 0;
            }
        }

        return new EinsumOperand<T>(result, keptDims, kept);
    }

    /// <summary>[batch, M, N] = sum over K of A[batch, M, K] * B[batch, K, N]; both operands have distinct labels.</summary>
    private static EinsumOperand<T> Contract<T>(EinsumOperand<T> a, EinsumOperand<T> b, Func<int, bool> needed)
        where T : unmanaged, INumber<T>
    {
        var batch = a.Labels.Where(l => b.Labels.Contains(l) && needed(l)).ToArray();
        var k = a.Labels.Where(l => b.Labels.Contains(l) && !needed(l)).ToArray();
        var m = a.Labels.Where(l => !b.Labels.Contains(l)).ToArray();
        var n = b.Labels.Where(l => !a.Labels.Contains(l)).ToArray();
        var batchDims = batch.Select(l => Math.Max(SizeIn(a, l), SizeIn(b, l))).ToArray();
        int batchCount = Product(batchDims);
        int mSize = Product(m.Select(l => SizeIn(a, l)).ToArray());
        int nSize = Product(n.Select(l => SizeIn(b, l)).ToArray());
        int kSize = Product(k.Select(l => SizeIn(a, l)).ToArray());
        foreach (int l in k)
        {
            if (SizeIn(b, l) != SizeIn(a, l))
            {
                // Only broadcast ("...") labels can differ, and those are always output labels.
                throw new InvalidOperationException($"contracted label {l} has sizes {SizeIn(a, l)} and {SizeIn(b, l)}");
            }
        }

        var aData = Arrange(a, [.. batch, .. m, .. k], [.. batchDims, .. m.Select(l => SizeIn(a, l)), .. k.Select(l => SizeIn(a, l))]);
        var bData = Arrange(b, [.. batch, .. k, .. n], [.. batchDims, .. k.Select(l => SizeIn(b, l)), .. n.Select(l => SizeIn(b, l))]);
        var c = new T[batchCount * mSize * nSize];
        for (int t = 0; t < batchCount; t++)
        {
            var at = aData.Slice(t * mSize * kSize, mSize * kSize);
            var bt = bData.Slice(t * kSize * nSize, kSize * nSize);
            var ct = c.AsSpan(t * mSize * nSize, mSize * nSize);
            if (typeof(T) == typeof(float))
            {
                Blas.Sgemm(
                    false, false, mSize, nSize, kSize, 1f,
                    MemoryMarshal.Cast<T, float>(at), kSize, MemoryMarshal.Cast<T, float>(bt), nSize, 0f, MemoryMarshal.Cast<T, float>(ct), nSize);
            }
            else
            {
                Blas.Generic(false, false, mSize, nSize, kSize, T.One, at, kSize, bt, nSize, T.Zero, ct, nSize);
            }
        }

        int[] dims = [.. batchDims, .. m.Select(l => SizeIn(a, l)), .. n.Select(l => SizeIn(b, l))];
        return new EinsumOperand<T>(c, dims, [.. batch, .. m, .. n]);
    }

    private static int SizeIn<T>(EinsumOperand<T> op, int label) => op.Dims[Array.IndexOf(op.Labels, label)];

    /// <summary>The operand's data permuted (and size-1 dims broadcast) to the given label order and dims, contiguous.</summary>
    private static ReadOnlySpan<T> Arrange<T>(EinsumOperand<T> op, int[] order, int[] dims)
        where T : unmanaged
    {
        if (order.AsSpan().SequenceEqual(op.Labels) && dims.AsSpan().SequenceEqual(op.Dims))
        {
            return op.Data.Span;
        }

        var strides = RowMajorStrides(op.Dims);
        var gather = new long[order.Length];
        for (int i = 0; i < order.Length; i++)
        {
            int a = Array.IndexOf(op.Labels, order[i]);
            gather[i] = op.Dims[a] == 1 ? 0 : strides[a];
        }

        var result = new T[Product(dims)];
        Gather(op.Data.Span, dims, gather, result);
        return result;
    }

    /// <summary>dst (contiguous, row-major over <paramref name="dims"/>) [i] = src[sum of coord[d] * strides[d]].</summary>
    private static void Gather<T>(ReadOnlySpan<T> src, int[] dims, long[] strides, Span<T> dst)
    {
        int total = dst.Length;
        if (total == 0)
        {
            return;
        }

        int rank = dims.Length;
        int inner = rank == 0 ? 1 : dims[^1];
        long innerStride = rank == 0 ? 0 : strides[^1];
        var idx = new int[Math.Max(rank - 1, 0)];
        long off = 0;
        for (int start = 0; start < total; start += inner)
        {
            var row = dst.Slice(start, inner);
            long o = off;
            for (int i = 0; i < inner; i++, o += innerStride)
            {
                row[i] = src[(int)o];
            }

            for (int d = rank - 2; d >= 0; d--)
            {
                off += strides[d];
                if (++idx[d] < dims[d])
                {
                    break;
                }

                off -= strides[d] * dims[d];
                idx[d] = 0;
            }
        }
    }

    private static long[] RowMajorStrides(int[] dims)
    {
        var strides = new long[dims.Length];
        long s = 1;
        for (int d = dims.Length - 1; d >= 0; d--)
        {
            strides[d] = s;
            s *= dims[d];
        }

        return strides;
    }

    private static int Product(int[] dims)
    {
        long p = 1;
        foreach (int d in dims)
        {
            p *= d;
        }

        return checked((int)p);
    }
}
