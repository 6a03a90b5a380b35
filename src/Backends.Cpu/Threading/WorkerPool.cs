namespace OpenAutoGlm.Backends.Cpu.Threading;

/// <summary>
/// The process-wide pool behind <see cref="ParallelFor"/>: ProcessorCount - 1 background threads. One loop runs at a
/// time; a loop is a <see cref="Job"/> with a number of helper slots that workers take to join it, and items claimed by
/// an interlocked counter, so fast threads take more items. The caller claims items too, then closes the job (no more
/// joins) and waits for the workers that joined.
/// <para>
/// A worker that finishes a loop spins for <see cref="SpinTime"/> watching for the next one before it parks on a
/// semaphore: a session runs its nodes' loops back to back, and waking a parked thread costs several microseconds
/// per loop (and the worker starts late), which on small models is a large share of the run. Parked workers are
/// counted so the caller releases exactly as many permits as it wakes.
/// </para>
/// </summary>
internal sealed class WorkerPool
{
    [ThreadStatic]
    private static bool s_threadInLoop;

    private readonly SemaphoreSlim _wake = new(0);
    private readonly Lock _gate = new();
    private volatile Job? _current;
    private int _parked;

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

    /// <summary>How long an idle worker spins waiting for the next loop before it parks (zero: park at once).</summary>
    public static TimeSpan SpinTime { get; set; } = TimeSpan.FromMicroseconds(200);

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
            job.Start(work, count, helpers);
            _current = job;
            WakeParked(helpers);
            s_threadInLoop = true;
            try
            {
                job.Execute();
            }
            finally
            {
                s_threadInLoop = false;
            }

            job.CloseAndWait();
            _current = null;
            job.Finish();
            return true;
        }
        finally
        {
            _gate.Exit();
        }
    }

    /// <summary>Releases one permit per parked worker, up to <paramref name="wanted"/>, taking them off the parked count.</summary>
    private void WakeParked(int wanted)
    {
        while (true)
        {
            int parked = Volatile.Read(ref _parked);
            if (parked == 0)
            {
                return;
            }

            int wake = Math.Min(parked, wanted);
            if (Interlocked.CompareExchange(ref _parked, parked - wake, parked) == parked)
            {
                _wake.Release(wake);
                return;
            }
        }
    }

    /// <summary>Takes this worker off the parked count unless a caller already did (and released a permit for it).</summary>
    private bool TryUnpark()
    {
        while (true)
        {
            int parked = Volatile.Read(ref _parked);
            if (parked == 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _parked, parked - 1, parked) == parked)
            {
                return true;
            }
        }
    }

    private void WorkerLoop()
    {
        s_threadInLoop = true;
        while (true)
        {
            if (TryJoinCurrent() || SpinForWork())
            {
                continue;
            }

            Interlocked.Increment(ref _parked);
            if (_current is { CanJoin: true } && TryUnpark())
            {
                continue;
            }

            _wake.Wait();
        }
    }

    private bool TryJoinCurrent()
    {
        var job = _current;
        if (job is null || !job.TryJoin())
        {
            return false;
        }

        job.Execute();
        job.CheckOut();
        return true;
    }

    /// <summary>Spins up to <see cref="SpinTime"/> for a loop with a free slot; true once one was joined and run.</summary>
    private bool SpinForWork()
    {
        long deadline = System.Diagnostics.Stopwatch.GetTimestamp() + (long)(SpinTime.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        while (System.Diagnostics.Stopwatch.GetTimestamp() < deadline)
        {
            if (_current is { CanJoin: true } && TryJoinCurrent())
            {
                return true;
            }

            Thread.SpinWait(16);
        }

        return false;
    }

    /// <summary>
    /// A loop in flight: helper slots (taken by joining workers, zeroed when the caller closes the job), the shared
    /// item counter, and the count of joined workers still running.
    /// </summary>
    private abstract class Job
    {
        private int _slots;
        private int _helpers;
        private int _checkedOut;
        private int _next;
        private int _count;
        private Exception? _error;

        public bool CanJoin => Volatile.Read(ref _slots) > 0;

        /// <summary>Takes a helper slot; false when none is left or the job is closed.</summary>
        public bool TryJoin()
        {
            while (true)
            {
                int slots = Volatile.Read(ref _slots);
                if (slots <= 0)
                {
                    return false;
                }

                if (Interlocked.CompareExchange(ref _slots, slots - 1, slots) == slots)
                {
                    return true;
                }
            }
        }

        /// <summary>Claims and runs items until none are left; exceptions are kept for the caller.</summary>
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
        }

        /// <summary>A joined worker is done with the job.</summary>
        public void CheckOut() => Interlocked.Increment(ref _checkedOut);

        /// <summary>The caller's end: no more joins, then wait (spinning, yielding) for the workers that joined.</summary>
        public void CloseAndWait()
        {
            // Slots only go down by successful joins, so the ones not taken tell exactly how many workers joined.
            int joined = _helpers - Interlocked.Exchange(ref _slots, 0);
            var spin = default(SpinWait);
            while (Volatile.Read(ref _checkedOut) < joined)
            {
                spin.SpinOnce(sleep1Threshold: -1);
            }
        }

        /// <summary>Resets the counters and opens <paramref name="helpers"/> slots (last, so a joining worker sees the new loop).</summary>
        protected void Reset(int count, int helpers)
        {
            _next = 0;
            _count = count;
            _helpers = helpers;
            _checkedOut = 0;
            _error = null;
            Volatile.Write(ref _slots, helpers);
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

        public void Start(in TWork work, int count, int helpers)
        {
            _work = work;
            Reset(count, helpers);
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
