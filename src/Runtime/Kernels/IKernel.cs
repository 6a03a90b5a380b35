using OpenAutoGlm.Core;

namespace OpenAutoGlm.Runtime;

/// <summary>
/// A compiled node. <see cref="Compute"/> must be safe to call from several threads at once: a kernel
/// keeps only immutable state (parsed attributes, pre-packed constant weights).
/// </summary>
public interface IKernel
{
    void Compute(KernelContext context);
}

/// <summary>What a provider sees when it compiles a node.</summary>
public sealed class KernelCreationContext
{
    private readonly IReadOnlyList<Tensor?> _constants;

    public KernelCreationContext(Node node, long opset, IReadOnlyList<TypeInfo?> inputTypes, IReadOnlyList<Tensor?> constantInputs)
    {
        Node = node;
        Opset = opset;
        InputTypes = inputTypes;
        _constants = constantInputs;
    }

    public Node Node { get; }

    public long Opset { get; }

    public AttributeCollection Attributes => Node.Attributes;

    public IReadOnlyList<TypeInfo?> InputTypes { get; }

    /// <summary>An input's value when it is a constant initializer (for pre-packing weights); null otherwise.</summary>
    public Tensor? ConstantInput(int index) => index < _constants.Count ? _constants[index] : null;

    public DataType InputElementType(int index) =>
        index < InputTypes.Count && InputTypes[index] is TensorTypeInfo t ? t.ElementType : DataType.Undefined;

    public OpExecutionException Error(string message) => new($"{Node.Describe()}: {message}");
}
