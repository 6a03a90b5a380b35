using System.Buffers;

namespace OpenAutoGlm.Runtime;

/// <summary>
/// Wraps a native pointer as <see cref="Memory{T}"/> so a <see cref="Core.Tensor{T}"/> can borrow
/// unmanaged memory without copying. The caller keeps the memory alive for the tensor's lifetime.
/// </summary>
public sealed unsafe class NativeMemoryManager<T> : MemoryManager<T>
    where T : unmanaged
{
    private readonly T* _pointer;
    private readonly int _length;

    public NativeMemoryManager(IntPtr pointer, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (pointer == IntPtr.Zero && length > 0)
        {
            throw new ArgumentNullException(nameof(pointer));
        }

        _pointer = (T*)pointer;
        _length = length;
    }

    public override Span<T> GetSpan() => new(_pointer, _length);

    public override MemoryHandle Pin(int elementIndex = 0) => new(_pointer + elementIndex);

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
    }
}

/// <summary>Creates tensors that borrow native memory.</summary>
public static class NativeTensor
{
    /// <summary>A tensor over <paramref name="pointer"/> (not copied); the caller keeps the memory alive.</summary>
    public static Core.Tensor<T> Create<T>(IntPtr pointer, params int[] dims)
        where T : unmanaged
    {
        long n = 1;
        foreach (int d in dims)
        {
            n *= d;
        }

        return new Core.Tensor<T>(new NativeMemoryManager<T>(pointer, checked((int)n)).Memory, dims);
    }
}
