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
