using System.Diagnostics;
using OpenAutoGlm.Core;

namespace OpenAutoGlm.Runtime;

internal sealed partial class GraphExecutor
{
    /// <summary>
    /// The reusable state of one run of a graph: the slot array, one <see cref="KernelContext"/> and input array per
    /// step, and the <see cref="BufferArena"/> the run's kernel outputs and scratch live in. A frame serves one run at
    /// a time; the executor pools frames, so steady-state runs allocate no bookkeeping.
    /// <para>
    /// Ownership: every slot whose value lives in an arena block holds a reference on that block (views and aliases
    /// found by the block's array, so a Reshape of X keeps X's block alive). A block goes back to the arena when its
    /// last slot is released and no kernel output still aliases it; a block whose memory leaves the slot graph (a
    /// graph output handed to the caller, a tensor put in a sequence or optional) escapes and is never reused.
    /// </para>
    /// </summary>
    internal sealed class Frame : ISubgraphRunner
    {
        private readonly GraphExecutor _owner;
        private readonly DataValue?[] _slots;
        private readonly ArenaBlock?[] _slotOwner;
        private readonly long[] _slotBytes;
        private readonly Tensor?[] _targets;
        private readonly KernelContext[] _contexts;
        private readonly DataValue?[][] _inputs;
        private readonly List<ArenaBlock> _rentedThisStep = [];
        private readonly Func<string, DataValue?> _resolve;
        private Func<string, DataValue?>? _outer;
        private RunRecorder? _recorder;

        public Frame(GraphExecutor owner)
        {
            _owner = owner;
            int n = owner._constants.Length;
            _slots = new DataValue?[n];
            _slotOwner = new ArenaBlock?[n];
            _slotBytes = new long[n];
            _targets = new Tensor?[n];
            _resolve = Resolve;
            var steps = owner._steps;
            _contexts = new KernelContext[steps.Length];
            _inputs = new DataValue?[steps.Length][];
            for (int i = 0; i < steps.Length; i++)
            {
                var step = steps[i];
                _inputs[i] = new DataValue?[step.Inputs.Length];
                var memory = new StepMemory(this, step.Outputs);
                _contexts[i] = new KernelContext(step.Node, step.Opset, _inputs[i], step.Requested, step.Allocator, step.HasSubgraphs ? this : null, memory)
                {
                    IntraOpThreads = owner._intraOpThreads,
                };
            }
        }

        public BufferArena Arena { get; } = new();

        /// <summary>A recorder this frame lends to the top-level runs it serves (reset per run).</summary>
        public RunRecorder Recorder { get; } = new(null);

        /// <summary>
        /// Runs every step. <paramref name="targets"/> (by graph output index, null entries allowed) are tensors the
        /// caller wants the outputs in: a kernel producing such an output with the same type and dims writes there.
        /// </summary>
        public void Execute(IReadOnlyList<DataValue?> inputs, Func<string, DataValue?>? outer, RunRecorder recorder, IReadOnlyList<DataValue?>? targets, CancellationToken cancellation)
        {
            var owner = _owner;
            _recorder = recorder;
            _outer = outer;
            Arena.BeginRun();
            Array.Copy(owner._constants, _slots, _slots.Length);
            for (int i = 0; i < owner._inputSlots.Length && i < inputs.Count; i++)
            {
                if (inputs[i] is { } value)
                {
                    _slots[owner._inputSlots[i]] = value;
                }
            }

            foreach (var (name, slot) in owner._outerSlots)
            {
                _slots[slot] = outer?.Invoke(name) ?? throw new GraphValidationException($"graph '{owner._graph.Name}' reads outer-scope value '{name}', which is not available");
            }

            if (targets is not null)
            {
                for (int i = 0; i < targets.Count; i++)
                {
                    int slot = owner._outputSlots[i];
                    if (targets[i] is Tensor t && _targets[slot] is null)
                    {
                        _targets[slot] = t;
                    }
                }
            }

            var timings = recorder.Timings;
            var steps = owner._steps;
            for (int i = 0; i < steps.Length; i++)
            {
                cancellation.ThrowIfCancellationRequested();
                if (timings is null)
                {
                    ExecuteStep(i);
                }
                else
                {
                    var step = steps[i];
                    long allocated = GC.GetAllocatedBytesForCurrentThread();
                    long start = Stopwatch.GetTimestamp();
                    ExecuteStep(i);
                    long elapsed = Stopwatch.GetTimestamp() - start;
                    allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
                    timings.Add(new NodeTiming(step.Node.OpType, step.ProfileName, step.Provider, start, elapsed, Environment.CurrentManagedThreadId, owner._depth, allocated));
                }
            }
        }

        /// <summary>The value of a graph output slot, handed to the caller: its arena block escapes.</summary>
        public DataValue? TakeOutput(int slot)
        {
            var value = _slots[slot];
            if (_slotOwner[slot] is { } block)
            {
                Arena.Escape(block);
            }

            return value;
        }

        /// <summary>Whether the value in <paramref name="slot"/> lives in this frame's arena (so it can be handed over).</summary>
        public bool IsArenaOwned(int slot) => _slotOwner[slot] is not null;

        /// <summary>The value of a graph output slot, still in the frame (valid until <see cref="Finish"/>).</summary>
        public DataValue? PeekOutput(int slot) => _slots[slot];

        /// <summary>Ends the run: drops every value, returns every block that did not escape, and settles the recorder.</summary>
        public void Finish(RunRecorder recorder)
        {
            // A subgraph's slots die with it: what it returns is counted again only if its parent kernel copies it.
            if (_owner._depth > 0)
            {
                foreach (long b in _slotBytes)
                {
                    recorder.Release(b);
                }
            }

            recorder.ObserveArena(Arena.PeakInUseBytes, Arena.ReservedBytes);
            Array.Clear(_slots);
            Array.Clear(_slotOwner);
            Array.Clear(_slotBytes);
            Array.Clear(_targets);
            _outer = null;
            _recorder = null;
            Arena.EndRun();
        }

        public IReadOnlyList<DataValue> Run(Graph graph, IReadOnlyList<DataValue?> inputs)
        {
            if (!_owner._children.TryGetValue(graph, out var child))
            {
                throw new InvalidOperationException($"subgraph '{graph.Name}' was not compiled with its parent");
            }

            var outputs = child.Run(inputs, _resolve, _recorder!);
            return outputs.Select((v, i) => v ?? throw new OpExecutionException($"subgraph '{graph.Name}' did not produce output '{graph.Outputs[i].Name}'")).ToList();
        }

        private DataValue? Resolve(string name) =>
            _owner._slotOf.TryGetValue(name, out int s) && _slots[s] is { } v ? v : _outer?.Invoke(name);

        private void ExecuteStep(int index)
        {
            var step = _owner._steps[index];
            var node = step.Node;
            var inputs = _inputs[index];
            for (int i = 0; i < inputs.Length; i++)
            {
                int s = step.Inputs[i];
                if (s >= 0)
                {
                    inputs[i] = _slots[s] ?? throw new OpExecutionException($"{node.Describe()}: input '{node.Inputs[i]}' has no value (it was never computed)");
                }
            }

            var ctx = _contexts[index];
            ctx.Reset();
            _rentedThisStep.Clear();
            try
            {
                step.Kernel.Compute(ctx);
            }
            catch (OperationCanceledException)
            {
                throw;
            }
            catch (AutoGlmException ex) when (!ex.Message.Contains(node.Describe(), StringComparison.Ordinal))
            {
                throw new OpExecutionException($"{node.Describe()}: {ex.Message} (inputs: {DescribeInputs(inputs)})", ex);
            }
            catch (AutoGlmException)
            {
                throw;
            }
            catch (Exception ex) when (ex is IndexOutOfRangeException or ArgumentException or InvalidOperationException or InvalidCastException or OverflowException or NullReferenceException or DivideByZeroException or OutOfMemoryException)
            {
                throw new OpExecutionException($"{node.Describe()} failed: {ex.GetType().Name}: {ex.Message} (inputs: {DescribeInputs(inputs)})", ex);
            }

            // Everything the kernel allocated is live now, next to its inputs; what no slot keeps dies at once.
            var recorder = _recorder!;
            long allocated = ctx.AllocatedBytes;
            recorder.Allocate(allocated);
            long kept = 0;
            bool escapes = false;
            var outputs = ctx.Outputs;
            for (int i = 0; i < step.Outputs.Length; i++)
            {
                int slot = step.Outputs[i];
                if (slot < 0)
                {
                    continue;
                }

                var value = outputs[i] ?? throw new OpExecutionException($"{node.Describe()}: kernel did not produce output {i} ('{node.Outputs[i]}')");
                _slots[slot] = value;
                if (value is Tensor t)
                {
                    var block = Arena.OwnerOf(t);
                    _slotOwner[slot] = block;
                    if (block is not null)
                    {
                        block.RefCount++;
                    }

                    if (allocated > 0 && ctx.IsAllocatedOutput(i))
                    {
                        long bytes = Math.Min(KernelContext.ByteSize(t), allocated - kept);
                        _slotBytes[slot] = bytes;
                        kept += bytes;
                    }
                }
                else
                {
                    // A sequence or optional holds tensors the slots cannot see: their memory leaves the arena.
                    _slotOwner[slot] = null;
                    escapes = true;
                }
            }

            if (escapes)
            {
                foreach (int s in step.Inputs)
                {
                    if (s >= 0 && _slotOwner[s] is { } block)
                    {
                        Arena.Escape(block);
                    }
                }

                foreach (var block in _rentedThisStep)
                {
                    Arena.Escape(block);
                }
            }

            // Scratch and outputs nobody keeps go back at once.
            foreach (var block in _rentedThisStep)
            {
                if (block.RefCount == 0)
                {
                    Arena.Return(block);
                }
            }

            _rentedThisStep.Clear();
            recorder.Release(allocated - kept);
            foreach (int s in step.Release)
            {
                _slots[s] = null;
                recorder.Release(_slotBytes[s]);
                _slotBytes[s] = 0;
                if (_slotOwner[s] is { } block)
                {
                    _slotOwner[s] = null;
                    if (--block.RefCount == 0)
                    {
                        Arena.Return(block);
                    }
                }
            }

            Array.Clear(inputs);
        }

        /// <summary>Places one step's outputs and scratch in the frame's arena; remembers last run's tensors to reuse them.</summary>
        private sealed class StepMemory(Frame frame, int[] outputSlots) : IKernelMemory
        {
            private readonly Tensor?[] _tensors = new Tensor?[outputSlots.Length];
            private readonly ArenaBlock?[] _blocks = new ArenaBlock?[outputSlots.Length];

            public Tensor? Output(int index, DataType dataType, ReadOnlySpan<int> dims, bool clear)
            {
                if ((uint)index >= (uint)outputSlots.Length || !BufferArena.Supports(dataType))
                {
                    return null;
                }

                int slot = outputSlots[index];
                if (slot >= 0 && frame._targets[slot] is { } target && target.DataType == dataType && target.Dims.SequenceEqual(dims))
                {
                    Prepare(target, clear);
                    return target;
                }

                long n = 1;
                foreach (int d in dims)
                {
                    if (d < 0 || (d > 0 && n > Array.MaxLength / d))
                    {
                        return null; // the allocator raises the shape error
                    }

                    n *= d;
                }

                var preferred = _blocks[index];
                var block = frame.Arena.Rent(dataType, n, preferred);
                frame._rentedThisStep.Add(block);
                var cached = _tensors[index];
                Tensor t;
                if (cached is not null && ReferenceEquals(block, preferred) && cached.DataType == dataType && cached.Dims.SequenceEqual(dims))
                {
                    t = cached;
                }
                else
                {
                    t = BufferArena.View(block, dims, (int)n);
                    _tensors[index] = t;
                    _blocks[index] = block;
                }

                Prepare(t, clear);
                return t;
            }

            /// <summary>Zero-fills an output, or leaves it as it is (all-ones bytes when the session poisons uninitialized outputs).</summary>
            private void Prepare(Tensor t, bool clear)
            {
                if (clear)
                {
                    t.AsBytes().Clear();
                }
                else if (frame._owner._poisonUninitialized)
                {
                    t.AsBytes().Fill(0xFF);
                }
            }

            public Tensor View(int index, Tensor source, ReadOnlySpan<int> dims)
            {
                if ((uint)index < (uint)_tensors.Length && _tensors[index] is { } cached && _blocks[index] is null
                    && cached.Dims.SequenceEqual(dims) && BufferArena.SameStorage(cached, source))
                {
                    return cached;
                }

                var view = source.Reshape(dims);
                if ((uint)index < (uint)_tensors.Length)
                {
                    _tensors[index] = view;
                    _blocks[index] = null;
                }

                return view;
            }

            public Memory<T> RentScratch<T>(int length)
                where T : unmanaged
            {
                var dataType = DataTypes.Of<T>();
                if (!BufferArena.Supports(dataType))
                {
                    return new T[length];
                }

                var block = frame.Arena.Rent(dataType, length, null);
                frame._rentedThisStep.Add(block);
                return ((T[])block.Array).AsMemory(block.Offset, length);
            }
        }
    }
}
