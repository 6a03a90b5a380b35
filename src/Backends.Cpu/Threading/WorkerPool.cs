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

    /// <summary>Whether each participant starts on its own contiguous share of the items (false: one shared counter).</summary>
    internal static bool HomeRanges { get; set; } = true;

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
                job.Execute(0);
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
        int participant = job is null ? 0 : job.TryJoin();
        if (participant == 0)
        {
            return false;
        }

        job!.Execute(participant);
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
        private int[]? _cursors;
        private int[]? _ends;
        private int _participants;
        private Exception? _error;

        public bool CanJoin => Volatile.Read(ref _slots) > 0;

        /// <summary>Takes a helper slot: the participant index (1..helpers) of the joining worker, or 0 when none is left or the job is closed.</summary>
        public int TryJoin()
        {
            while (true)
            {
                int slots = Volatile.Read(ref _slots);
                if (slots <= 0)
                {
                    return 0;
                }

                if (Interlocked.CompareExchange(ref _slots, slots - 1, slots) == slots)
                {
                    return _helpers - slots + 1;
                }
            }
        }

        /// <summary>Claims and runs items until none are left (participant 0 is the caller); exceptions are kept for the caller.</summary>
        public void Execute(int participant)
        {
            try
            {
                RunItems(participant);
            }
            catch (Exception ex)
            {
                Interlocked.CompareExchange(ref _error, ex, null);
                for (int p = 0; p < _participants; p++)
                {
                    Volatile.Write(ref _cursors![p], int.MaxValue / 2);
                }
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
            int participants = helpers + 1;
            if (_cursors is null || _cursors.Length < participants)
            {
                // Once per job type and pool size: a job instance is reused for every loop of its work type.
                _cursors = new int[participants];
                _ends = new int[participants];
            }

            // Participant p's home range: a contiguous share, so on consecutive loops the same thread takes the same
            // part of the data (the caller the first share, worker 1 the next, ...): a layer's output slice is still in
            // the cache of the core that wrote it when the next layer reads it.
            _participants = HomeRanges ? participants : 1;
            for (int p = 0; p < _participants; p++)
            {
                _cursors[p] = (int)((long)p * count / _participants);
                _ends![p] = (int)((long)(p + 1) * count / _participants);
            }

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

        /// <summary>
        /// The next unclaimed item for <paramref name="participant"/>, or -1 when all are taken: from its home range
        /// first, then from the others' (<paramref name="victim"/> walks them; a late or descheduled thread's share is
        /// taken over item by item).
        /// </summary>
        protected int Claim(int participant, ref int victim)
        {
            var cursors = _cursors!;
            var ends = _ends!;
            int count = _participants;
            while (victim < count)
            {
                int q = (participant + victim) % count;
                int i = Interlocked.Increment(ref cursors[q]) - 1;
                if (i < ends[q])
                {
                    return i;
                }

                victim++;
            }

            return -1;
        }

        /// <summary>Runs items from <see cref="Claim"/> until it returns -1 (one virtual call per thread, not per item).</summary>
        protected abstract void RunItems(int participant);
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

        protected override void RunItems(int participant)
        {
            int victim = 0;
            int i;
            while ((i = Claim(participant, ref victim)) >= 0)
            {
                _work.Invoke(i);
            }
        }
    }
}
