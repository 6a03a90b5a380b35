using System.Diagnostics.CodeAnalysis;
using OpenAutoGlm.Core;

namespace OpenAutoGlm.Runtime;

/// <summary>Runs a subgraph (If branch, Loop/Scan body) with the caller's scope visible as outer scope.</summary>
public interface ISubgraphRunner
{
    /// <summary>Runs <paramref name="graph"/> with the given formal inputs; returns its outputs in order.</summary>
    IReadOnlyList<DataValue> Run(Graph graph, IReadOnlyList<DataValue?> inputs);
}

/// <summary>
/// Where a planned run places kernel outputs and scratch (the executor's arena); null results fall back to the allocator.
/// </summary>
internal interface IKernelMemory
{
    /// <summary>
    /// A tensor for output <paramref name="index"/>, zero-filled when <paramref name="clear"/> (otherwise its contents are
    /// undefined), or null to let the provider's allocator make one.
    /// </summary>
    Tensor? Output(int index, DataType dataType, ReadOnlySpan<int> dims, bool clear);

    /// <summary>Scratch of at least <paramref name="length"/> elements (contents undefined) held until the kernel returns.</summary>
    Memory<T> RentScratch<T>(int length)
        where T : unmanaged;

    /// <summary>A tensor over <paramref name="source"/>'s storage with <paramref name="dims"/> (the previous run's view when it matches).</summary>
    Tensor View(int index, Tensor source, ReadOnlySpan<int> dims);
}

/// <summary>
/// One node's inputs and outputs for one run. Kernels read inputs, allocate outputs through
/// <see cref="Output"/> (so the executor can place them) or hand back existing values with
/// <see cref="SetOutput"/> (aliasing, sequences), and throw through <see cref="Error"/> so messages name the node.
/// </summary>
public sealed class KernelContext
{
    private readonly DataValue?[] _inputs;
    private readonly DataValue?[] _outputs;
    private readonly bool[] _requested;
    private readonly IAllocator _allocator;
    private readonly IKernelMemory? _memory;

    public KernelContext(Node node, long opset, DataValue?[] inputs, bool[] requestedOutputs, IAllocator allocator, ISubgraphRunner? subgraphs)
        : this(node, opset, inputs, requestedOutputs, allocator, subgraphs, null)
    {
    }

    /// <summary>A context whose outputs and scratch come from <paramref name="memory"/> (a run frame reuses it every run).</summary>
    internal KernelContext(Node node, long opset, DataValue?[] inputs, bool[] requestedOutputs, IAllocator allocator, ISubgraphRunner? subgraphs, IKernelMemory? memory)
    {
        Node = node;
        Opset = opset;
        _inputs = inputs;
        _requested = requestedOutputs;
        _outputs = new DataValue?[node.Outputs.Count];
        _allocator = allocator;
        _memory = memory;
        Subgraphs = subgraphs;
    }

    public Node Node { get; }

    /// <summary>The opset version of the node's domain.</summary>
    public long Opset { get; }

    public AttributeCollection Attributes => Node.Attributes;

    public int InputCount => _inputs.Length;

    public int OutputCount => _outputs.Length;

    public ISubgraphRunner? Subgraphs { get; }

    /// <summary>
    /// How many threads the kernel may use (the session's <see cref="SessionOptions.IntraOpThreads"/>, resolved:
    /// at least 1). Kernels split their work through their provider's parallel loop; 1 means run inline.
    /// </summary>
    public int IntraOpThreads { get; init; } = 1;

    internal DataValue?[] Outputs => _outputs;

    /// <summary>Bytes of every tensor allocated through <see cref="Output"/> during this node's execution.</summary>
    internal long AllocatedBytes { get; private set; }

    /// <summary>Bit i set: output i (i &lt; 64) was allocated through <see cref="Output"/> rather than set to an existing value.</summary>
    internal ulong AllocatedOutputs { get; private set; }

    /// <summary>Whether output <paramref name="index"/> holds a tensor this context allocated (outputs 64 and up: assumed so).</summary>
    internal bool IsAllocatedOutput(int index) => index >= 64 || (AllocatedOutputs & (1UL << index)) != 0;

    /// <summary>Bytes of a tensor's elements (0 for strings, whose size the allocator does not own).</summary>
    internal static long ByteSize(Tensor t) => (long)t.Length * t.DataType.SizeOf();

    public bool HasInput(int index) => index < _inputs.Length && _inputs[index] is not null;

    /// <summary>The input value, or null when omitted.</summary>
    public DataValue? InputValue(int index) => index < _inputs.Length ? _inputs[index] : null;

    /// <summary>The input tensor, or null when omitted.</summary>
    public Tensor? OptionalInput(int index) => InputValue(index) switch
    {
        null => null,
        Tensor t => t,
        var other => throw Error($"input {index} ('{Node.InputOrEmpty(index)}') is a {other.Type}, expected a tensor"),
    };

    /// <summary>The input tensor; throws naming the node and input when it is missing.</summary>
    public Tensor Input(int index) =>
        OptionalInput(index) ?? throw Error($"required input {index} is missing");

    /// <summary>Whether anyone reads output <paramref name="index"/> (kernels may skip optional outputs nobody reads).</summary>
    public bool IsOutputRequested(int index) => index < _requested.Length && _requested[index];

    /// <summary>Allocates output <paramref name="index"/> (zero-filled) with the given type and dims.</summary>
    public Tensor Output(int index, DataType dataType, ReadOnlySpan<int> dims) => Output(index, dataType, dims, clear: true);

    /// <summary>
    /// Allocates output <paramref name="index"/> without zero-filling it when the run's memory planner places it (a
    /// reused arena buffer then holds stale values of earlier tensors). Only for kernels that write every element of
    /// the output before returning: it saves a full write pass over large outputs (convolutions, GEMMs).
    /// </summary>
    public Tensor OutputUninitialized(int index, DataType dataType, ReadOnlySpan<int> dims) => Output(index, dataType, dims, clear: false);

    private Tensor Output(int index, DataType dataType, ReadOnlySpan<int> dims, bool clear)
    {
        var t = _memory?.Output(index, dataType, dims, clear) ?? _allocator.Allocate(dataType, dims);
        _outputs[index] = t;
        AllocatedBytes += ByteSize(t);
        if (index < 64)
        {
            AllocatedOutputs |= 1UL << index;
        }

        return t;
    }

    public Tensor<T> Output<T>(int index, ReadOnlySpan<int> dims)
        where T : unmanaged => (Tensor<T>)Output(index, DataTypes.Of<T>(), dims);

    /// <summary>
    /// Sets output <paramref name="index"/> to a view of <paramref name="source"/> with other dims of the same element
    /// count (Reshape, Flatten, Squeeze): like <c>SetOutput(index, source.Reshape(dims))</c>, but a planned run reuses
    /// the view object of the previous run when storage and dims match, so the step allocates nothing.
    /// </summary>
    public void SetOutputView(int index, Tensor source, ReadOnlySpan<int> dims)
    {
        ArgumentNullException.ThrowIfNull(source);
        SetOutput(index, _memory?.View(index, source, dims) ?? source.Reshape(dims));
    }

    /// <summary>
    /// Scratch memory of <paramref name="length"/> elements for this computation only (contents undefined): pooled by
    /// the session in planned runs, so per-call temporaries (im2col columns, packing panels, row buffers) stop
    /// allocating. It goes back to the pool when <see cref="IKernel.Compute"/> returns; never keep it or return it as
    /// an output. Types without a <see cref="DataType"/> get a fresh array.
    /// </summary>
    public Memory<T> RentScratch<T>(int length)
        where T : unmanaged
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return _memory is not null ? _memory.RentScratch<T>(length) : new T[length];
    }

    /// <summary>Clears the outputs so the context can serve the same node in the next run.</summary>
    internal void Reset()
    {
        Array.Clear(_outputs);
        AllocatedBytes = 0;
        AllocatedOutputs = 0;
    }

    /// <summary>Sets output <paramref name="index"/> to an existing value (aliasing an input is allowed for views).</summary>
    public void SetOutput(int index, DataValue value)
    {
        _outputs[index] = value;
        if (index < 64)
        {
            AllocatedOutputs &= ~(1UL << index);
        }
    }

    /// <summary>An exception naming this node and op; throw it for invalid inputs or attributes.</summary>
    public OpExecutionException Error(string message) => new($"{Node.Describe()}: {message}");

    [DoesNotReturn]
    public void Fail(string message) => throw Error(message);
}
