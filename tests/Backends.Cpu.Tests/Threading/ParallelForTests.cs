using OpenAutoGlm.Backends.Cpu.Threading;

namespace OpenAutoGlm.Backends.Cpu.Tests.Threading;

public sealed class ParallelForTests
{
    [Fact]
    public void EveryItemRunsExactlyOnceForAnyCountAndDegree()
    {
        for (int degree = 1; degree <= 4; degree++)
        {
            for (int count = 0; count <= 100; count++)
            {
                var hits = new int[count];
                ParallelFor.Run(count, degree, new CountHits(hits));
                Assert.All(hits, h => Assert.Equal(1, h));
            }
        }
    }

    [Fact]
    public void RangeChunksTileTheRangeWithoutOverlap()
    {
        foreach (int length in new[] { 0, 1, 7, 64, 1000, 1001 })
        {
            foreach (int align in new[] { 1, 8 })
            {
                var hits = new int[length];
                ParallelFor.Range(length, 3, 10, new CountRange(hits), align);
                Assert.All(hits, h => Assert.Equal(1, h));
            }
        }
    }

    /// <summary>
    /// More chunks than threads come in whole rounds (3 chunks on 2 threads would leave one thread idle a third of the
    /// time): the chunk count is the work-limited count rounded down to a multiple of the degree, at most 4 per thread.
    /// </summary>
    [Theory]
    [InlineData(30, 10, 2, 2)]
    [InlineData(70, 10, 2, 6)]
    [InlineData(80, 10, 2, 8)]
    [InlineData(1000, 10, 2, 8)]
    [InlineData(50, 10, 3, 3)]
    [InlineData(20, 10, 3, 2)]
    [InlineData(9, 10, 2, 1)]
    public void RangeCutsWholeRoundsOfChunks(int length, int minChunk, int degree, int expectedChunks)
    {
        var calls = new int[1];
        var hits = new int[length];
        ParallelFor.Range(length, degree, minChunk, new CountCalls(calls, hits));
        Assert.Equal(expectedChunks, calls[0]);
        Assert.All(hits, h => Assert.Equal(1, h));
    }

    /// <summary>
    /// Each participant starts on its own contiguous share (the caller on the first), so consecutive loops over the same
    /// data give each thread the same part; shares of late threads are taken over. With home ranges off, one shared
    /// counter: every item still runs exactly once.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void HomeRangesStartTheCallerOnTheFirstShareAndRunEveryItemOnce(bool homeRanges)
    {
        bool saved = WorkerPool.HomeRanges;
        WorkerPool.HomeRanges = homeRanges;
        try
        {
            int callerFirst = 0;
            for (int loop = 0; loop < 50; loop++)
            {
                int count = 2 + (loop % 37);
                var threads = new int[count];
                var hits = new int[count];
                ParallelFor.Run(count, 2, new RecordAndCount(threads, hits));
                Assert.All(hits, h => Assert.Equal(1, h));
                callerFirst += threads[0] == Environment.CurrentManagedThreadId ? 1 : 0;
            }

            // A worker takes item 0 only by finishing its own share and stealing before the caller claims its first
            // item (the caller descheduled in between): rare, so nearly every loop starts on the caller.
            if (homeRanges)
            {
                Assert.True(callerFirst >= 40, $"item 0 ran on the caller in {callerFirst} of 50 loops");
            }
        }
        finally
        {
            WorkerPool.HomeRanges = saved;
        }
    }

    [Fact]
    public void DegreeOneRunsInlineOnTheCallingThread()
    {
        var threads = new int[16];
        ParallelFor.Run(16, 1, new RecordThread(threads));
        Assert.All(threads, t => Assert.Equal(Environment.CurrentManagedThreadId, t));
    }

    [Fact]
    public void NestedLoopsRunInlineAndComplete()
    {
        var hits = new int[8 * 8];
        ParallelFor.Run(8, 2, new Outer(hits));
        Assert.All(hits, h => Assert.Equal(1, h));
    }

    [Fact]
    public void ExceptionsInItemsReachTheCaller()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => ParallelFor.Run(50, 2, new ThrowAt(37)));
        Assert.Equal("item 37", ex.Message);

        // The pool still works afterwards.
        var hits = new int[10];
        ParallelFor.Run(10, 2, new CountHits(hits));
        Assert.All(hits, h => Assert.Equal(1, h));
    }

    /// <summary>
    /// Back-to-back loops (workers spinning between them), loops after pauses longer than the spin time (workers parked
    /// and woken), and with spinning off: every item runs exactly once and, where the pool has workers, they take part.
    /// </summary>
    [Theory]
    [InlineData(200, 0)]
    [InlineData(200, 3000)]
    [InlineData(0, 500)]
    public void LoopsAcrossSpinAndParkTransitionsRunEveryItemOnce(int spinMicroseconds, int pauseMicroseconds)
    {
        var saved = WorkerPool.SpinTime;
        WorkerPool.SpinTime = TimeSpan.FromMicroseconds(spinMicroseconds);
        try
        {
            var threads = new HashSet<int>();
            for (int loop = 0; loop < 300; loop++)
            {
                var hits = new int[loop % 7 + 2];
                var ids = new int[hits.Length];
                ParallelFor.Run(hits.Length, 2, new SlowCounting(hits, ids));
                Assert.All(hits, h => Assert.Equal(1, h));
                threads.UnionWith(ids);
                if (pauseMicroseconds > 0 && loop % 10 == 0)
                {
                    Thread.Sleep(TimeSpan.FromMicroseconds(pauseMicroseconds));
                }
            }

            if (WorkerPool.Shared.WorkerCount > 0)
            {
                Assert.True(threads.Count > 1, "no worker ever joined a loop");
            }
        }
        finally
        {
            WorkerPool.SpinTime = saved;
        }
    }

    [Fact]
    public void ConcurrentCallersAllComplete()
    {
        var all = Enumerable.Range(0, 8).Select(_ => new int[200]).ToArray();
        Parallel.For(0, all.Length, i => ParallelFor.Run(200, 2, new CountHits(all[i])));
        Assert.All(all, hits => Assert.All(hits, h => Assert.Equal(1, h)));
    }

    private readonly struct CountHits(int[] hits) : IParallelWork
    {
        public void Invoke(int index) => Interlocked.Increment(ref hits[index]);
    }

    private readonly struct CountRange(int[] hits) : IRangeWork
    {
        public void Invoke(int start, int end)
        {
            for (int i = start; i < end; i++)
            {
                Interlocked.Increment(ref hits[i]);
            }
        }
    }

    private readonly struct CountCalls(int[] calls, int[] hits) : IRangeWork
    {
        public void Invoke(int start, int end)
        {
            Interlocked.Increment(ref calls[0]);
            for (int i = start; i < end; i++)
            {
                Interlocked.Increment(ref hits[i]);
            }
        }
    }

    private readonly struct RecordAndCount(int[] threads, int[] hits) : IParallelWork
    {
        public void Invoke(int index)
        {
            threads[index] = Environment.CurrentManagedThreadId;
            Interlocked.Increment(ref hits[index]);
            Thread.SpinWait(200);
        }
    }

    private readonly struct RecordThread(int[] threads) : IParallelWork
    {
        public void Invoke(int index) => threads[index] = Environment.CurrentManagedThreadId;
    }

    private readonly struct Outer(int[] hits) : IParallelWork
    {
        public void Invoke(int index) => ParallelFor.Run(8, 2, new Inner(hits, index));
    }

    private readonly struct Inner(int[] hits, int row) : IParallelWork
    {
        public void Invoke(int index) => Interlocked.Increment(ref hits[(row * 8) + index]);
    }

    private readonly struct ThrowAt(int bad) : IParallelWork
    {
        public void Invoke(int index)
        {
            if (index == bad)
            {
                throw new InvalidOperationException($"item {index}");
            }
        }
    }

    private readonly struct SlowCounting(int[] hits, int[] ids) : IParallelWork
    {
        public void Invoke(int index)
        {
            ids[index] = Environment.CurrentManagedThreadId;
            Thread.SpinWait(2000);
            Interlocked.Increment(ref hits[index]);
        }
    }
}
