using System.Diagnostics;

namespace OpenAutoGlm.Backends.Cpu.Threading;

/// <summary>
/// The process-wide pool behind <see cref="ParallelFor"/>: ProcessorCount - 1 background threads that sleep on a
/// semaphore. One loop runs at a time; a loop is a <see cref="Job"/> whose items are claimed by an interlocked
/// counter, so fast threads take more items. The caller claims items too and then waits for the workers it woke.
/// </summary>
internal sealed class WorkerPool
{
    [ThreadStatic]
    private static bool s_threadInLoop;

    private readonly SemaphoreSlim _wake = new(0);
    private readonly Lock _gate = new();
    private volatile Job? _current;

    private WorkerPool(int workers)
    {
        WorkerCount = workers;
        for (int i = 0; i < workers; i++)
        {
            var thread = new Thread(WorkerLoop) { IsBackground = true, Name = $"autoglm-cpu-{i + 1}" };
            thread.Start();
        }
    }

    public static WorkerPool Shared { get; } = new(Math.Max(0, Environment.ProcessorCount - 1));

    public int WorkerCount { get; }

    /// <summary>
    /// Runs items [0, count) of <paramref name="work"/> on the caller plus up to degree - 1 workers. Returns false
    /// (having run nothing) when the pool cannot help: no workers, a nested loop, or another loop in flight.
    /// </summary>
    public bool TryRun<TWork>(int count, int degree, in TWork work)
        where TWork : struct, IParallelWork
    {
        int helpers = Math.Min(Math.Min(degree, count) - 1, WorkerCount);
        if (helpers <= 0 || s_threadInLoop || !_gate.TryEnter())
        {
            return false;
        }

        try
        {
            var job = Job<TWork>.Rent();
            job.Start(work, count, helpers + 1);
            _current = job;
            _wake.Release(helpers);
            s_threadInLoop = true;
            try
            {
                job.Execute();
            }
            finally
            {
                s_threadInLoop = false;
            }

            job.WaitForWorkers();
            _current = null;
            job.Finish();
            return true;
        }
        finally
        {
            _gate.Exit();
        }
    }

    private void WorkerLoop()
    {
        s_threadInLoop = true;
        while (true)
        {
            _wake.Wait();
            var job = _current;
            Debug.Assert(job is not null, "a permit is only released while a job is current");
            job.Execute();
        }
    }

    /// <summary>A loop in flight: the shared item counter and the count of threads still working on it.</summary>
    private abstract class Job
    {
        private readonly ManualResetEventSlim _done = new(false);
        private int _next;
        private int _count;
        private int _active;
        private Exception? _error;

        /// <summary>Claims and runs items until none are left, then checks out; exceptions are kept for the caller.</summary>
        public void Execute()
        {
            try
            {
                RunItems();
            }
            catch (Exception ex)
            {
                Interlocked.CompareExchange(ref _error, ex, null);
                Volatile.Write(ref _next, int.MaxValue / 2);
            }
            finally
            {
                if (Interlocked.Decrement(ref _active) == 0)
                {
                    _done.Set();
                }
            }
        }

        public void WaitForWorkers()
        {
            if (Volatile.Read(ref _active) != 0)
            {
                _done.Wait();
            }
        }

        protected void Reset(int count, int threads)
        {
            _next = 0;
            _count = count;
            _active = threads;
            _error = null;
            _done.Reset();
        }

        protected void ThrowIfFailed()
        {
            if (_error is { } ex)
            {
                _error = null;
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex).Throw();
            }
        }

        /// <summary>The next unclaimed item, or -1 when all are taken.</summary>
        protected int Claim()
        {
            int i = Interlocked.Increment(ref _next) - 1;
            return i < _count ? i : -1;
        }

        /// <summary>Runs items from <see cref="Claim"/> until it returns -1 (one virtual call per thread, not per item).</summary>
        protected abstract void RunItems();
    }

    /// <summary>The job type of one work struct; one instance per type is reused (jobs never overlap: the gate serializes them).</summary>
    private sealed class Job<TWork> : Job
        where TWork : struct, IParallelWork
    {
        private static Job<TWork>? s_instance;
        private TWork _work;

        public static Job<TWork> Rent() => s_instance ??= new Job<TWork>();

        public void Start(in TWork work, int count, int threads)
        {
            _work = work;
            Reset(count, threads);
        }

        public void Finish()
        {
            _work = default;
            ThrowIfFailed();
        }

        protected override void RunItems()
        {
            int i;
            while ((i = Claim()) >= 0)
            {
                _work.Invoke(i);
            }
        }
    }
}
