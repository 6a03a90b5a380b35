using System.Diagnostics;
using OpenAutoGlm.Core;

namespace OpenAutoGlm.Runtime;

/// <summary>
/// A compiled graph: values numbered into slots, nodes in topological order with their kernels. Immutable
/// after construction; each <see cref="Run"/> uses its own slot array, so concurrent runs are safe.
/// Subgraphs (If/Loop/Scan bodies) are compiled eagerly into child executors that read outer-scope values
/// from the frame of the node that runs them.
/// </summary>
internal sealed class GraphExecutor
{
    private readonly Graph _graph;
    private readonly Dictionary<string, int> _slotOf = new(StringComparer.Ordinal);
    private readonly DataValue?[] _constants;
    private readonly int[] _inputSlots;
    private readonly int[] _outputSlots;
    private readonly (string Name, int Slot)[] _outerSlots;
    private readonly Step[] _steps;
    private readonly Dictionary<Graph, GraphExecutor> _children = new(ReferenceEqualityComparer.Instance);
    private readonly int _depth;
    private readonly int _intraOpThreads;

    public GraphExecutor(Model model, Graph graph, IReadOnlyDictionary<string, IExecutionProvider> providers, Func<Graph, string, TypeInfo?> typeOf, IReadOnlySet<string>? outerScope, int depth = 0, int intraOpThreads = 1)
    {
        _graph = graph;
        _depth = depth;
        _intraOpThreads = Math.Max(1, intraOpThreads);
        var order = GraphOrder.TopologicalSort(graph, outerScope);

        int Slot(string name)
        {
            if (!_slotOf.TryGetValue(name, out int s))
            {
                s = _slotOf.Count;
                _slotOf[name] = s;
            }

            return s;
        }

        _inputSlots = graph.Inputs.Select(v => Slot(v.Name)).ToArray();
        foreach (var name in graph.Initializers.Keys)
        {
            Slot(name);
        }

        foreach (var name in graph.SparseInitializers.Keys)
        {
            Slot(name);
        }

        var defined = graph.DefinedNames();
        _outerSlots = graph.OuterScopeReferences().Select(n => (n, Slot(n))).ToArray();

        var scopeForChildren = new HashSet<string>(outerScope ?? (IEnumerable<string>)[], StringComparer.Ordinal);
        scopeForChildren.UnionWith(defined);

        var steps = new List<Step>(order.Count);
        foreach (var node in order)
        {
            var provider = providers[node.ExecutionProvider ?? throw new InvalidOperationException($"{node.Describe()} was not assigned to a provider")];
            var inputs = node.Inputs.Select(i => i.Length == 0 ? -1 : Slot(i)).ToArray();
            var outputs = node.Outputs.Select(o => o.Length == 0 ? -1 : Slot(o)).ToArray();
            var constInputs = node.Inputs.Select(i => i.Length > 0 && graph.Initializers.TryGetValue(i, out var t) && !graph.Inputs.Any(v => v.Name == i) ? t : null).ToList();
            var inputTypes = node.Inputs.Select(i => i.Length == 0 ? null : typeOf(graph, i)).ToList();
            long opset = model.OpsetFor(node.Domain);
            IKernel kernel;
            try
            {
                kernel = provider.CreateKernel(new KernelCreationContext(node, opset, inputTypes, constInputs));
            }
            catch (AutoGlmException)
            {
                throw;
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IndexOutOfRangeException or InvalidCastException or OverflowException)
            {
                throw new OpExecutionException($"{node.Describe()}: kernel creation failed: {ex.Message}", ex);
            }

            string profileName = node.Name.Length > 0 ? node.Name : $"{node.OpType}#{steps.Count}";
            steps.Add(new Step(node, kernel, provider.Allocator, opset, inputs, outputs, profileName, provider.Name));
            foreach (var sub in node.Subgraphs())
            {
                _children[sub] = new GraphExecutor(model, sub, providers, typeOf, scopeForChildren, depth + 1, intraOpThreads);
            }
        }

        _steps = steps.ToArray();
        _outputSlots = graph.Outputs.Select(v => Slot(v.Name)).ToArray();

        _constants = new DataValue?[_slotOf.Count];
        foreach (var (name, t) in graph.Initializers)
        {
            _constants[_slotOf[name]] = t;
        }

        foreach (var (name, s) in graph.SparseInitializers)
        {
            _constants[_slotOf[name]] = s.ToDense();
        }

        // Free each intermediate after its last reader so long graphs do not hold every activation.
        var keep = new HashSet<int>(_outputSlots);
        var lastUse = new Dictionary<int, int>();
        for (int i = 0; i < _steps.Length; i++)
        {
            foreach (int s in _steps[i].Inputs)
            {
                if (s >= 0)
                {
                    lastUse[s] = i;
                }
            }

            foreach (var sub in _steps[i].Node.Subgraphs())
            {
                foreach (var r in sub.OuterScopeReferences())
                {
                    if (_slotOf.TryGetValue(r, out int s))
                    {
                        lastUse[s] = i;
                    }
                }
            }
        }

        var releaseAt = lastUse.Where(kv => !keep.Contains(kv.Key) && _constants[kv.Key] is null).ToLookup(kv => kv.Value, kv => kv.Key);
        for (int i = 0; i < _steps.Length; i++)
        {
            _steps[i].Release = releaseAt[i].ToArray();
        }
    }

    public Graph Graph => _graph;

    /// <summary>Nodes of this graph (not counting subgraph bodies): the capacity to reserve for node timings.</summary>
    public int StepCount => _steps.Length;

    /// <summary>
    /// Runs the graph: formal inputs in order, outer-scope values resolved through <paramref name="outer"/>.
    /// <paramref name="recorder"/> collects memory counters (and node timings when profiling) across this run
    /// and the subgraph runs it starts.
    /// </summary>
    public DataValue?[] Run(IReadOnlyList<DataValue?> inputs, Func<string, DataValue?>? outer, RunRecorder recorder, CancellationToken cancellation = default)
    {
        var slots = (DataValue?[])_constants.Clone();
        for (int i = 0; i < _inputSlots.Length && i < inputs.Count; i++)
        {
            if (inputs[i] is not null)
            {
                slots[_inputSlots[i]] = inputs[i];
            }
        }

        foreach (var (name, slot) in _outerSlots)
        {
            slots[slot] = outer?.Invoke(name) ?? throw new GraphValidationException($"graph '{_graph.Name}' reads outer-scope value '{name}', which is not available");
        }

        // Bytes owned by each slot's value when a kernel allocated it; returned to the recorder when the slot is dropped.
        var slotBytes = new long[slots.Length];
        var frame = new Frame(this, slots, outer, recorder);
        var timings = recorder.Timings;
        foreach (var step in _steps)
        {
            cancellation.ThrowIfCancellationRequested();
            if (timings is null)
            {
                Execute(step, slots, slotBytes, frame, recorder, _intraOpThreads);
            }
            else
            {
                long start = Stopwatch.GetTimestamp();
                Execute(step, slots, slotBytes, frame, recorder, _intraOpThreads);
                timings.Add(new NodeTiming(step.Node.OpType, step.ProfileName, step.Provider, start, Stopwatch.GetTimestamp() - start, Environment.CurrentManagedThreadId, _depth));
            }
        }

        var result = new DataValue?[_outputSlots.Length];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = slots[_outputSlots[i]];
        }

        // A subgraph's slots die with it: what it returns is counted again only if its parent kernel copies it.
        if (_depth > 0)
        {
            foreach (long b in slotBytes)
            {
                recorder.Release(b);
            }
        }

        return result;
    }

    private static void Execute(Step step, DataValue?[] slots, long[] slotBytes, Frame frame, RunRecorder recorder, int intraOpThreads)
    {
        var node = step.Node;
        var inputs = new DataValue?[step.Inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            int s = step.Inputs[i];
            if (s >= 0)
            {
                inputs[i] = slots[s] ?? throw new OpExecutionException($"{node.Describe()}: input '{node.Inputs[i]}' has no value (it was never computed)");
            }
        }

        var requested = new bool[step.Outputs.Length];
        for (int i = 0; i < requested.Length; i++)
        {
            requested[i] = step.Outputs[i] >= 0;
        }

        var ctx = new KernelContext(node, step.Opset, inputs, requested, step.Allocator, node.Subgraphs().Any() ? frame : null)
        {
            IntraOpThreads = intraOpThreads,
        };
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
        long allocated = ctx.AllocatedBytes;
        recorder.Allocate(allocated);
        long kept = 0;
        var outputs = ctx.Outputs;
        for (int i = 0; i < step.Outputs.Length; i++)
        {
            int slot = step.Outputs[i];
            if (slot >= 0)
            {
                var value = outputs[i] ?? throw new OpExecutionException($"{node.Describe()}: kernel did not produce output {i} ('{node.Outputs[i]}')");
                slots[slot] = value;
                if (allocated > 0 && value is Tensor t && ctx.IsAllocatedOutput(i))
                {
                    long bytes = Math.Min(KernelContext.ByteSize(t), allocated - kept);
                    slotBytes[slot] = bytes;
                    kept += bytes;
                }
            }
        }

        recorder.Release(allocated - kept);
        foreach (int s in step.Release)
        {
            slots[s] = null;
            recorder.Release(slotBytes[s]);
            slotBytes[s] = 0;
        }
    }

    private static string DescribeInputs(DataValue?[] inputs) =>
        string.Join(", ", inputs.Select(v => v switch
        {
            null => "-",
            Tensor t => $"{t.DataType.Name()}{t.ShapeString}",
            _ => v.Type.ToString(),
        }));

    private sealed class Step(Node node, IKernel kernel, IAllocator allocator, long opset, int[] inputs, int[] outputs, string profileName, string provider)
    {
        /// <summary>The node's name, or <c>OpType#index</c> when it has none (trace events need a name).</summary>
        public string ProfileName { get; } = profileName;

        public string Provider { get; } = provider;

        public Node Node { get; } = node;

        public IKernel Kernel { get; } = kernel;

        public IAllocator Allocator { get; } = allocator;

        public long Opset { get; } = opset;

        public int[] Inputs { get; } = inputs;

        public int[] Outputs { get; } = outputs;

        public int[] Release { get; set; } = [];
    }

    /// <summary>One activation of a graph: resolves names for subgraphs run by its nodes.</summary>
    private sealed class Frame(GraphExecutor owner, DataValue?[] slots, Func<string, DataValue?>? outer, RunRecorder recorder) : ISubgraphRunner
    {
        public IReadOnlyList<DataValue> Run(Graph graph, IReadOnlyList<DataValue?> inputs)
        {
            if (!owner._children.TryGetValue(graph, out var child))
            {
                throw new InvalidOperationException($"subgraph '{graph.Name}' was not compiled with its parent");
            }

            var outputs = child.Run(inputs, Resolve, recorder);
            return outputs.Select((v, i) => v ?? throw new OpExecutionException($"subgraph '{graph.Name}' did not produce output '{graph.Outputs[i].Name}'")).ToList();
        }

        private DataValue? Resolve(string name) =>
            owner._slotOf.TryGetValue(name, out int s) && slots[s] is { } v ? v : outer?.Invoke(name);
    }
}
