using System.Runtime.CompilerServices;

namespace OpenAutoGlm.Backends.Cpu.Threading;

/// <summary>One unit of a parallel loop: a struct, so the loop body is specialized and inlined (no delegate per item).</summary>
internal interface IParallelWork
{
    /// <summary>Runs item <paramref name="index"/>; items of one loop run concurrently, each exactly once.</summary>
    void Invoke(int index);
}

/// <summary>A contiguous slice of a range: <see cref="ParallelFor.Range{TWork}"/> hands each chunk [start, end) to one call.</summary>
internal interface IRangeWork
{
    void Invoke(int start, int end);
}

/// <summary>
/// The CPU provider's one parallel loop: items are claimed dynamically by the calling thread and up to
/// degree - 1 workers of the process-wide <see cref="WorkerPool"/>. A degree of 1 (or one item) runs inline on
/// the caller, as does a loop started inside another loop or while another session's loop holds the pool.
/// </summary>
internal static class ParallelFor
{
    /// <summary>Runs work.Invoke(i) for i in [0, count) on at most <paramref name="degree"/> threads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run<TWork>(int count, int degree, in TWork work)
        where TWork : struct, IParallelWork
    {
        if (count <= 0)
        {
            return;
        }

        if (degree <= 1 || count == 1 || !WorkerPool.Shared.TryRun(count, degree, work))
        {
            var local = work;
            for (int i = 0; i < count; i++)
            {
                local.Invoke(i);
            }
        }
    }

    /// <summary>
    /// Splits [0, length) into contiguous chunks of at least <paramref name="minChunk"/> elements (boundaries aligned to
    /// <paramref name="align"/>) and runs work.Invoke(start, end) for each on up to <paramref name="degree"/> threads.
    /// There are up to 4 chunks per thread so a thread that is descheduled (shared machines) leaves its later chunks
    /// to the others instead of making them wait, and more chunks than threads come in multiples of the thread count.
    /// </summary>
    public static void Range<TWork>(int length, int degree, int minChunk, in TWork work, int align = 1)
        where TWork : struct, IRangeWork
    {
        if (length <= 0)
        {
            return;
        }

        int chunks = degree <= 1 ? 1 : ChunkCount(length, 4 * degree, minChunk);
        if (chunks > degree)
        {
            // Whole rounds of equal chunks: 3 chunks on 2 threads leave one thread a third of the time idle.
            chunks -= chunks % degree;
        }

        if (chunks == 1)
        {
            var local = work;
            local.Invoke(0, length);
            return;
        }

        Run(chunks, degree, new RangeSplitter<TWork>(work, length, chunks, align));
    }

    /// <summary>How many chunks of at least <paramref name="minChunk"/> items <paramref name="length"/> items make for <paramref name="degree"/> threads.</summary>
    public static int ChunkCount(long length, int degree, long minChunk)
    {
        long byWork = length / Math.Max(1, minChunk);
        return (int)Math.Clamp(byWork, 1, Math.Max(1, degree));
    }

    /// <summary>Item i of a split range: [i * length / chunks, (i + 1) * length / chunks), boundaries rounded down to align.</summary>
    private readonly struct RangeSplitter<TWork>(TWork work, int length, int chunks, int align) : IParallelWork
        where TWork : struct, IRangeWork
    {
        public void Invoke(int index)
        {
            int start = Boundary(index);
            int end = index == chunks - 1 ? length : Boundary(index + 1);
            if (start < end)
            {
                var local = work;
                local.Invoke(start, end);
            }
        }

        private int Boundary(int index)
        {
            long b = (long)index * length / chunks;
            return (int)(b - (b % align));
        }
    }
}
