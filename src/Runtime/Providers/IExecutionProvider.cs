using OpenAutoGlm.Core;

namespace OpenAutoGlm.Runtime;

/// <summary>
/// A backend that runs nodes on one device. The contract is deliberately small: describe the device,
/// answer "can you run this node?" without side effects, create stateless kernels, and own an allocator
/// and a data-transfer routine. Fallback between providers is the partitioner's job.
/// </summary>
public interface IExecutionProvider
{
    /// <summary>Short unique name ("cpu", "cuda").</summary>
    string Name { get; }

    DeviceDescriptor Device { get; }

    IAllocator Allocator { get; }

    IDataTransfer DataTransfer { get; }

    /// <summary>Pure capability query over op, domain, opset, dtypes and attributes.</summary>
    NodeSupport CanRun(NodeQuery query);

    /// <summary>Creates the kernel for a node this provider claimed. Kernels are immutable once created.</summary>
    IKernel CreateKernel(KernelCreationContext context);
}

/// <summary>The answer to a capability query: supported, or why not.</summary>
public readonly record struct NodeSupport(bool IsSupported, string? Reason)
{
    public static NodeSupport Yes => new(true, null);

    public static NodeSupport No(string reason) => new(false, reason);
}

/// <summary>What a provider is asked about a node.</summary>
public sealed record NodeQuery(Node Node, long Opset, IReadOnlyList<TypeInfo?> InputTypes, IReadOnlyList<TypeInfo?> OutputTypes)
{
    public DataType InputElementType(int index) =>
        index < InputTypes.Count && InputTypes[index] is TensorTypeInfo t ? t.ElementType : DataType.Undefined;
}

/// <summary>Allocates tensors in a provider's memory.</summary>
public interface IAllocator
{
    string Name { get; }

    Tensor Allocate(DataType dataType, ReadOnlySpan<int> dims);
}

/// <summary>Copies tensors between a provider's device and host memory.</summary>
public interface IDataTransfer
{
    bool CanCopy(DeviceKind source, DeviceKind destination);

    void Copy(Tensor source, Tensor destination);
}
