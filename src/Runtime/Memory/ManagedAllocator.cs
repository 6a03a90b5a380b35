using OpenAutoGlm.Core;

namespace OpenAutoGlm.Runtime;

/// <summary>Host allocator on the managed heap (the arena planner replaces it for steady-state runs).</summary>
public sealed class ManagedAllocator : IAllocator
{
    public static ManagedAllocator Instance { get; } = new();

    public string Name => "managed";

    public Tensor Allocate(DataType dataType, ReadOnlySpan<int> dims) => Tensor.Allocate(dataType, dims);
}
