using System.Diagnostics;
using OpenAutoGlm.Core;

namespace OpenAutoGlm.Runtime;

/// <summary>
/// A compiled graph: values numbered into slots, nodes in topological order with their kernels. Immutable
/// after construction; each <see cref="Run"/> uses its own slot array, so concurrent runs are safe.
/// Subgraphs (If/Loop/Scan bodies) are compiled eagerly into child executors that read outer-scope values
/// from the frame of the node that runs them.
/// </summary>
internal sealed partial class GraphExecutor
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
    private readonly bool _poisonUninitialized;
    private readonly Stack<Frame> _framePool = new();

    public GraphExecutor(
        Model model, Graph graph, IReadOnlyDictionary<string, IExecutionProvider> providers, Func<Graph, string, TypeInfo?> typeOf, IReadOnlySet<string>? outerScope,
        int depth = 0, int intraOpThreads = 1, bool poisonUninitialized = false)
    {
        _graph = graph;
        _poisonUninitialized = poisonUninitialized;
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
                _children[sub] = new GraphExecutor(model, sub, providers, typeOf, scopeForChildren, depth + 1, intraOpThreads, poisonUninitialized);
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

        // Liveness: each value dies after its last reader (a node, or a subgraph of a node reading it as outer scope);
        // an output nobody reads dies right after its producer. Graph outputs and constants live to the end.
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

            foreach (int s in _steps[i].Outputs)
            {
                if (s >= 0)
                {
                    lastUse.TryAdd(s, i);
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

    /// <summary>The slot of graph output <paramref name="index"/>.</summary>
    public int OutputSlot(int index) => _outputSlots[index];

    /// <summary>
    /// Runs the graph: formal inputs in order, outer-scope values resolved through <paramref name="outer"/>.
    /// <paramref name="recorder"/> collects memory counters (and node timings when profiling) across this run
    /// and the subgraph runs it starts. The returned values belong to the caller (their arena blocks escape).
    /// </summary>
    public DataValue?[] Run(IReadOnlyList<DataValue?> inputs, Func<string, DataValue?>? outer, RunRecorder recorder, CancellationToken cancellation = default)
    {
        var frame = RentFrame();
        frame.Execute(inputs, outer, recorder, null, cancellation);
        var result = new DataValue?[_outputSlots.Length];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = frame.TakeOutput(_outputSlots[i]);
        }

        frame.Finish(recorder);
        ReturnFrame(frame);
        return result;
    }

    /// <summary>
    /// A frame for one run: taken from the pool of frames this executor keeps (one per concurrent run), or new.
    /// Hand it back with <see cref="ReturnFrame"/> after a run that completed; a frame whose run threw is dropped.
    /// </summary>
    public Frame RentFrame()
    {
        lock (_framePool)
        {
            if (_framePool.TryPop(out var frame))
            {
                return frame;
            }
        }

        return new Frame(this);
    }

    public void ReturnFrame(Frame frame)
    {
        lock (_framePool)
        {
            _framePool.Push(frame);
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

        /// <summary>Output i is requested: it has a slot (kernels may skip the others).</summary>
        public bool[] Requested { get; } = Array.ConvertAll(outputs, s => s >= 0);

        public bool HasSubgraphs { get; } = node.Subgraphs().Any();
    }
}
