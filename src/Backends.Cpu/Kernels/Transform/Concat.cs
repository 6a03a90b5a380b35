using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Transform;

/// <summary>
/// Concat: joins the inputs along axis; all other dims must match (axis defaults to 1 before opset 4)
/// (https://onnx.ai/onnx/operators/onnx__Concat.html).
/// </summary>
internal sealed class Concat : IKernel
{
    private readonly long _axis;

    public Concat(KernelCreationContext ctx) =>
        _axis = ctx.Opset < 4 ? ctx.Attributes.GetInt("axis", 1) : ctx.Attributes.GetInt("axis");

    public void Compute(KernelContext ctx)
    {
        Tensor? first = null;
        for (int i = 0; i < ctx.InputCount && first is null; i++)
        {
            first = ctx.OptionalInput(i);
        }

        if (first is null)
        {
            throw ctx.Error("needs at least one input");
        }

        int rank = first.Rank;
        if (_axis < -rank || _axis >= rank)
        {
            throw ctx.Error($"axis {_axis} is out of range [{-rank}, {rank - 1}] for rank {rank}");
        }

        int axis = (int)(_axis < 0 ? _axis + rank : _axis);
        Span<int> dims = stackalloc int[rank];
        first.Dims.CopyTo(dims);
        dims[axis] = 0;
        for (int i = 0; i < ctx.InputCount; i++)
        {
            if (ctx.OptionalInput(i) is not { } t)
            {
                continue;
            }

            if (t.DataType != first.DataType)
            {
                throw ctx.Error($"inputs must share one element type, got {first.DataType.Name()} and {t.DataType.Name()}");
            }

            for (int d = 0; d < rank; d++)
            {
                if (t.Rank != rank || (d != axis && t.Dims[d] != first.Dims[d]))
                {
                    throw ctx.Error($"inputs {first.ShapeString} and {t.ShapeString} must match in every dimension but the concat axis {axis}");
                }
            }

            dims[axis] += t.Dims[axis];
        }

        // Row-major: the output is `outer` rows of dims[axis] * inner elements; input t fills, in every row, the
        // t.Dims[axis] * inner elements that start at its offset along axis.
        var y = ctx.OutputUninitialized(0, first.DataType, dims); // the inputs' blocks tile every output row
        int outer = Elements.Product(dims, 0, axis);
        int inner = Elements.Product(dims, axis + 1, rank);
        int row = dims[axis] * inner;
        int offset = 0;
        for (int i = 0; i < ctx.InputCount; i++)
        {
            if (ctx.OptionalInput(i) is not { } t)
            {
                continue;
            }

            int block = t.Dims[axis] * inner;
            if (t is not StringTensor && ctx.IntraOpThreads > 1 && (long)outer * block * t.DataType.SizeOf() >= ParallelBytes)
            {
                CopyBlocksParallel(t, y, outer, block, row, offset, ctx.IntraOpThreads);
            }
            else
            {
                for (int o = 0; o < outer && block > 0; o++)
                {
                    Elements.Copy(t, o * block, y, (o * row) + offset, block);
                }
            }

            offset += block;
        }
    }

    /// <summary>Bytes an input contributes from which its rows are copied on several threads (a batch of CNN feature maps).</summary>
    private const long ParallelBytes = 1L << 19;

    /// <summary>Bytes per parallel piece: a block of a row is cut into pieces of about this size.</summary>
    private const long PieceBytes = 1L << 17;

    /// <summary>
    /// Row o of <paramref name="source"/> (<paramref name="block"/> elements) to y at o * row + offset, for every o, with
    /// each block cut into pieces spread over the pool: a single thread copies a few GB/s below what two reach.
    /// </summary>
    private static unsafe void CopyBlocksParallel(Tensor source, Tensor y, int outer, int block, int row, int offset, int threads)
    {
        int size = source.DataType.SizeOf();
        long blockBytes = (long)block * size;
        int pieces = (int)Math.Max(1, Math.Min(block, blockBytes / PieceBytes));
        fixed (byte* src = source.AsBytes())
        fixed (byte* dst = y.AsBytes())
        {
            Threading.ParallelFor.Range(outer * pieces, threads, 1, new BlockCopy(src, dst, size, block, row, offset, pieces));
        }
    }

    private readonly unsafe struct BlockCopy(byte* src, byte* dst, int size, int block, int row, int offset, int pieces) : Threading.IRangeWork
    {
        public void Invoke(int start, int end)
        {
            for (int item = start; item < end; item++)
            {
                int o = item / pieces, piece = item % pieces;
                long from = (long)block * piece / pieces, to = (long)block * (piece + 1) / pieces;
                long bytes = (to - from) * size;
                Buffer.MemoryCopy(src + ((((long)o * block) + from) * size), dst + ((((long)o * row) + offset + from) * size), bytes, bytes);
            }
        }
    }
}
