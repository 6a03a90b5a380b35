namespace OpenAutoGlm.Core;

/// <summary>Computes a node's output types from its input types, attributes and (where known) constant inputs.</summary>
public delegate void ShapeInferenceFunction(ShapeInferenceContext context);

/// <summary>Evaluates a node whose inputs are all constant (used to propagate shape-computing values).</summary>
public delegate Tensor?[]? ConstantEvaluator(Node node, long opset, IReadOnlyList<Tensor?> inputs);

/// <summary>What a shape-inference function sees of one node, and where it writes the output types.</summary>
public sealed class ShapeInferenceContext
{
    private readonly IReadOnlyList<TypeInfo?> _inputTypes;
    private readonly IReadOnlyList<Tensor?> _constants;
    private readonly Func<Graph, IReadOnlyList<TypeInfo?>, IReadOnlyList<TypeInfo?>>? _subgraphInferrer;

    public ShapeInferenceContext(
        Node node,
        long opset,
        IReadOnlyList<TypeInfo?> inputTypes,
        IReadOnlyList<Tensor?> constantInputs,
        Func<Graph, IReadOnlyList<TypeInfo?>, IReadOnlyList<TypeInfo?>>? subgraphInferrer = null)
    {
        Node = node;
        Opset = opset;
        _inputTypes = inputTypes;
        _constants = constantInputs;
        _subgraphInferrer = subgraphInferrer;
        OutputTypes = new TypeInfo?[node.Outputs.Count];
        OutputConstants = new Tensor?[node.Outputs.Count];
    }

    public Node Node { get; }

    /// <summary>The opset version of the node's domain in force.</summary>
    public long Opset { get; }

    public AttributeCollection Attributes => Node.Attributes;

    public int InputCount => Node.Inputs.Count;

    public int OutputCount => Node.Outputs.Count;

    public TypeInfo?[] OutputTypes { get; }

    /// <summary>Output values a schema could compute at inference time (e.g. Shape of a static tensor).</summary>
    public Tensor?[] OutputConstants { get; }

    public bool HasInput(int index) => Node.HasInput(index);

    public TypeInfo? InputType(int index) => index < _inputTypes.Count && Node.HasInput(index) ? _inputTypes[index] : null;

    public TensorTypeInfo? InputTensorType(int index) => InputType(index) as TensorTypeInfo;

    /// <summary>Input shape, or null when the input is absent or its rank is unknown.</summary>
    public Shape? InputShape(int index) => InputTensorType(index)?.Shape;

    /// <summary>Input element type, or <see cref="DataType.Undefined"/> when unknown.</summary>
    public DataType InputElementType(int index) => InputTensorType(index)?.ElementType ?? DataType.Undefined;

    /// <summary>The constant value of an input when it is known (initializer, Constant, or folded shape math).</summary>
    public Tensor? ConstantInput(int index) => index < _constants.Count && Node.HasInput(index) ? _constants[index] : null;

    public void SetOutput(int index, TypeInfo? type)
    {
        if (index < OutputTypes.Length)
        {
            OutputTypes[index] = type;
        }
    }

    public void SetOutput(int index, DataType elementType, Shape? shape) => SetOutput(index, new TensorTypeInfo(elementType, shape));

    public void SetOutputConstant(int index, Tensor value)
    {
        if (index < OutputConstants.Length)
        {
            OutputConstants[index] = value;
            OutputTypes[index] = value.Type;
        }
    }

    /// <summary>Infers a subgraph's output types given its input types (If/Loop/Scan bodies).</summary>
    public IReadOnlyList<TypeInfo?> InferSubgraph(Graph graph, IReadOnlyList<TypeInfo?> inputTypes) =>
        _subgraphInferrer?.Invoke(graph, inputTypes) ?? graph.Outputs.Select(o => o.Type).ToList();

    /// <summary>An exception naming this node, for invalid inputs or attributes.</summary>
    public ShapeInferenceException Error(string message) => new($"{Node.Describe()}: {message}");

    /// <summary>Normalizes a possibly negative axis against <paramref name="rank"/>, throwing a named error when out of range.</summary>
    public int NormalizeAxis(long axis, int rank, string what = "axis")
    {
        if (axis < -rank || axis >= Math.Max(rank, 1))
        {
            throw Error($"{what} {axis} is out of range for rank {rank}");
        }

        return (int)(axis < 0 ? axis + rank : axis);
    }
}
