using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using OpenAutoGlm.Core;

namespace OpenAutoGlm.Runtime;

/// <summary>
/// One buffer of a <see cref="BufferArena"/>: a typed array whose capacity is its size class. While rented it backs
/// one value (plus any views of it) or a kernel's scratch; <see cref="RefCount"/> counts the executor slots whose
/// value lives in it. An escaped block belongs to whoever holds it now (a caller, a sequence) and never comes back.
/// </summary>
internal sealed class ArenaBlock(Array array, DataType dataType, int sizeClass, long bytes)
{
    public Array Array { get; } = array;

    /// <summary>
    /// Elements before the first element of a tensor made now over this block: the data starts on a 64-byte boundary,
    /// so 512-bit loads of its aligned offsets never split a cache line. Computed from the array's current address at
    /// each rent: arrays are not pinned (pinned arrays live on the pinned heap, collected only with generation 2: a
    /// decode step's escaping outputs made that a full collection every few runs), and the collector rarely moves one
    /// once it is old or large; if it does, only the alignment of later tensors changes, never their contents.
    /// </summary>
    public int Offset => AlignmentOffset(Array, DataType);

    public DataType DataType { get; } = dataType;

    public int SizeClass { get; } = sizeClass;

    /// <summary>Capacity in bytes.</summary>
    public long Bytes { get; } = bytes;

    public int RefCount { get; set; }

    public bool Escaped { get; set; }

    /// <summary>On its arena's free list (not rented).</summary>
    public bool IsFree { get; set; }

    /// <summary>The arena's run counter when the block was last rented (idle blocks are trimmed).</summary>
    public long LastRun { get; set; }

    public ArenaBlock? Previous { get; set; }

    public ArenaBlock? Next { get; set; }

    /// <summary>Bytes of extra capacity every array gets so the aligned start still leaves the class's elements.</summary>
    public const int AlignmentBytes = 64;

    private static unsafe int AlignmentOffset(Array array, DataType dataType)
    {
        int size = dataType.SizeOf();
        nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        int misalignment = (int)(address & (AlignmentBytes - 1));
        return misalignment == 0 || misalignment % size != 0 ? 0 : (AlignmentBytes - misalignment) / size;
    }
}

/// <summary>
/// A size-bucketed buffer pool owned by one run frame (so by one run at a time: no locking). Buffers are typed arrays
/// in size classes (64 elements, then 8 classes per power of two: at most 12.5% slack), kept on per-(type, class)
/// intrusive free lists so that renting, returning and renting one particular free block are O(1) and allocate
/// nothing. The executor rents a block for each kernel output and returns it when the last value aliasing it dies;
/// because each step asks first for the block it had in the previous run, a run with the same shapes repeats the
/// same placement: the liveness plan of the first run becomes the arena layout of the steady state.
/// </summary>
internal sealed class BufferArena
{
    private const int ClassesPerType = 256;
    private const int TypeCount = 17;

    /// <summary>Blocks idle this many runs in a row are dropped, so memory of past shapes goes back to the GC.</summary>
    private const int IdleRunsBeforeTrim = 4;

    private readonly ArenaBlock?[][] _free = new ArenaBlock?[TypeCount][];
    private readonly Dictionary<object, ArenaBlock> _owned = new(ReferenceEqualityComparer.Instance);
    private readonly List<ArenaBlock> _blocks = [];
    private long _run;

    /// <summary>Bytes of all blocks the arena holds (rented or free).</summary>
    public long ReservedBytes { get; private set; }

    /// <summary>Bytes of the blocks rented right now.</summary>
    public long InUseBytes { get; private set; }

    /// <summary>The largest <see cref="InUseBytes"/> since <see cref="BeginRun"/>.</summary>
    public long PeakInUseBytes { get; private set; }

    /// <summary>Whether <paramref name="dataType"/> can live in the arena (numeric and bool tensors; not strings).</summary>
    public static bool Supports(DataType dataType) => dataType is DataType.Float32 or DataType.Int64 or DataType.Int32 or DataType.Bool
        or DataType.UInt8 or DataType.Int8 or DataType.Float64 or DataType.Float16 or DataType.BFloat16 or DataType.Int16
        or DataType.UInt16 or DataType.UInt32 or DataType.UInt64;

    /// <summary>
    /// The size class of <paramref name="elements"/> and its capacity: 64 for up to 64 elements, else n rounded up to
    /// a multiple of 2^(log2(n - 1) - 3), which is one of 8 steps in (2^log, 2^(log+1)].
    /// </summary>
    public static int SizeClass(long elements, out long capacity)
    {
        if (elements <= 64)
        {
            capacity = 64;
            return 0;
        }

        int log = 63 - BitOperations.LeadingZeroCount((ulong)(elements - 1));
        long step = 1L << (log - 3);
        long steps = (elements + step - 1) / step;
        capacity = steps * step;
        return 1 + ((log - 6) * 8) + (int)(steps - 9);
    }

    public void BeginRun()
    {
        _run++;
        PeakInUseBytes = InUseBytes;
    }

    /// <summary>
    /// Rents a block of at least <paramref name="elements"/> elements: <paramref name="preferred"/> when it is free and
    /// of the same type and class (the placement of the previous run), else any free block of the class, else a new one.
    /// </summary>
    public ArenaBlock Rent(DataType dataType, long elements, ArenaBlock? preferred)
    {
        int sizeClass = SizeClass(elements, out long capacity);
        var heads = _free[(int)dataType] ??= new ArenaBlock?[ClassesPerType];
        ArenaBlock? block = preferred is { IsFree: true } p && p.DataType == dataType && p.SizeClass == sizeClass ? p : heads[sizeClass];
        if (block is not null)
        {
            Unlink(heads, block);
        }
        else
        {
            int pad = ArenaBlock.AlignmentBytes / dataType.SizeOf();
            block = new ArenaBlock(AllocateArray(dataType, checked((int)capacity + pad)), dataType, sizeClass, capacity * dataType.SizeOf());
            _owned.Add(block.Array, block);
            _blocks.Add(block);
            ReservedBytes += block.Bytes;
        }

        block.LastRun = _run;
        block.RefCount = 0;
        InUseBytes += block.Bytes;
        if (InUseBytes > PeakInUseBytes)
        {
            PeakInUseBytes = InUseBytes;
        }

        return block;
    }

    /// <summary>Puts a rented block back on its free list.</summary>
    public void Return(ArenaBlock block)
    {
        if (block.IsFree || block.Escaped)
        {
            return;
        }

        var heads = _free[(int)block.DataType]!;
        block.RefCount = 0;
        block.IsFree = true;
        block.Previous = null;
        block.Next = heads[block.SizeClass];
        if (block.Next is not null)
        {
            block.Next.Previous = block;
        }

        heads[block.SizeClass] = block;
        InUseBytes -= block.Bytes;
    }

    /// <summary>Gives a rented block away for good (a caller or a sequence now holds its memory); the arena forgets it.</summary>
    public void Escape(ArenaBlock block)
    {
        if (block.Escaped)
        {
            return;
        }

        if (block.IsFree)
        {
            Unlink(_free[(int)block.DataType]!, block);
        }
        else
        {
            InUseBytes -= block.Bytes;
        }

        block.Escaped = true;
        _owned.Remove(block.Array);
        _blocks.Remove(block);
        ReservedBytes -= block.Bytes;
    }

    /// <summary>The arena block whose array backs <paramref name="tensor"/>, or null (feeds, weights, other memory).</summary>
    public ArenaBlock? OwnerOf(Tensor tensor)
    {
        object? array = tensor switch
        {
            Tensor<float> t => ArrayOf(t.Memory),
            Tensor<long> t => ArrayOf(t.Memory),
            Tensor<int> t => ArrayOf(t.Memory),
            Tensor<bool> t => ArrayOf(t.Memory),
            Tensor<byte> t => ArrayOf(t.Memory),
            Tensor<sbyte> t => ArrayOf(t.Memory),
            Tensor<double> t => ArrayOf(t.Memory),
            Tensor<Half> t => ArrayOf(t.Memory),
            Tensor<BFloat16> t => ArrayOf(t.Memory),
            Tensor<short> t => ArrayOf(t.Memory),
            Tensor<ushort> t => ArrayOf(t.Memory),
            Tensor<uint> t => ArrayOf(t.Memory),
            Tensor<ulong> t => ArrayOf(t.Memory),
            _ => null,
        };
        return array is not null && _owned.TryGetValue(array, out var block) ? block : null;
    }

    /// <summary>
    /// Ends a run: every block not escaped goes back to its free list, and blocks idle for several runs are dropped.
    /// </summary>
    public void EndRun()
    {
        for (int i = _blocks.Count - 1; i >= 0; i--)
        {
            var block = _blocks[i];
            Return(block);
            if (_run - block.LastRun >= IdleRunsBeforeTrim)
            {
                Unlink(_free[(int)block.DataType]!, block);
                _owned.Remove(block.Array);
                _blocks.RemoveAt(i);
                ReservedBytes -= block.Bytes;
            }
        }
    }

    /// <summary>A tensor of <paramref name="dims"/> over the first elements of <paramref name="block"/> (not cleared).</summary>
    public static Tensor View(ArenaBlock block, ReadOnlySpan<int> dims, int length) => block.DataType switch
    {
        // Switch on the recorded type, not the array: the CLR lets a ushort[] pass as short[] (array covariance).
        DataType.Float32 => new Tensor<float>(((float[])block.Array).AsMemory(block.Offset, length), dims),
        DataType.Int64 => new Tensor<long>(((long[])block.Array).AsMemory(block.Offset, length), dims),
        DataType.Int32 => new Tensor<int>(((int[])block.Array).AsMemory(block.Offset, length), dims),
        DataType.Bool => new Tensor<bool>(((bool[])block.Array).AsMemory(block.Offset, length), dims),
        DataType.UInt8 => new Tensor<byte>(((byte[])block.Array).AsMemory(block.Offset, length), dims),
        DataType.Int8 => new Tensor<sbyte>(((sbyte[])block.Array).AsMemory(block.Offset, length), dims),
        DataType.Float64 => new Tensor<double>(((double[])block.Array).AsMemory(block.Offset, length), dims),
        DataType.Float16 => new Tensor<Half>(((Half[])block.Array).AsMemory(block.Offset, length), dims),
        DataType.BFloat16 => new Tensor<BFloat16>(((BFloat16[])block.Array).AsMemory(block.Offset, length), dims),
        DataType.Int16 => new Tensor<short>(((short[])block.Array).AsMemory(block.Offset, length), dims),
        DataType.UInt16 => new Tensor<ushort>(((ushort[])block.Array).AsMemory(block.Offset, length), dims),
        DataType.UInt32 => new Tensor<uint>(((uint[])block.Array).AsMemory(block.Offset, length), dims),
        DataType.UInt64 => new Tensor<ulong>(((ulong[])block.Array).AsMemory(block.Offset, length), dims),
        _ => throw new InvalidOperationException($"arena block of unsupported type {block.DataType}"),
    };

    /// <summary>Whether two tensors view the same elements (same array or memory manager, offset and length).</summary>
    public static bool SameStorage(Tensor a, Tensor b) => (a, b) switch
    {
        (Tensor<float> x, Tensor<float> y) => x.Memory.Equals(y.Memory),
        (Tensor<long> x, Tensor<long> y) => x.Memory.Equals(y.Memory),
        (Tensor<int> x, Tensor<int> y) => x.Memory.Equals(y.Memory),
        (Tensor<bool> x, Tensor<bool> y) => x.Memory.Equals(y.Memory),
        (Tensor<byte> x, Tensor<byte> y) => x.Memory.Equals(y.Memory),
        (Tensor<sbyte> x, Tensor<sbyte> y) => x.Memory.Equals(y.Memory),
        (Tensor<double> x, Tensor<double> y) => x.Memory.Equals(y.Memory),
        (Tensor<Half> x, Tensor<Half> y) => x.Memory.Equals(y.Memory),
        (Tensor<BFloat16> x, Tensor<BFloat16> y) => x.Memory.Equals(y.Memory),
        (Tensor<short> x, Tensor<short> y) => x.Memory.Equals(y.Memory),
        (Tensor<ushort> x, Tensor<ushort> y) => x.Memory.Equals(y.Memory),
        (Tensor<uint> x, Tensor<uint> y) => x.Memory.Equals(y.Memory),
        (Tensor<ulong> x, Tensor<ulong> y) => x.Memory.Equals(y.Memory),
        (StringTensor x, StringTensor y) => ReferenceEquals(x.Data, y.Data),
        _ => false,
    };

    private static object? ArrayOf<T>(Memory<T> memory) => MemoryMarshal.TryGetArray<T>(memory, out var segment) ? segment.Array : null;

    private static Array AllocateArray(DataType dataType, int capacity) => dataType switch
    {
        DataType.Float32 => GC.AllocateUninitializedArray<float>(capacity),
        DataType.Int64 => GC.AllocateUninitializedArray<long>(capacity),
        DataType.Int32 => GC.AllocateUninitializedArray<int>(capacity),
        DataType.Bool => GC.AllocateUninitializedArray<bool>(capacity),
        DataType.UInt8 => GC.AllocateUninitializedArray<byte>(capacity),
        DataType.Int8 => GC.AllocateUninitializedArray<sbyte>(capacity),
        DataType.Float64 => GC.AllocateUninitializedArray<double>(capacity),
        DataType.Float16 => GC.AllocateUninitializedArray<Half>(capacity),
        DataType.BFloat16 => GC.AllocateUninitializedArray<BFloat16>(capacity),
        DataType.Int16 => GC.AllocateUninitializedArray<short>(capacity),
        DataType.UInt16 => GC.AllocateUninitializedArray<ushort>(capacity),
        DataType.UInt32 => GC.AllocateUninitializedArray<uint>(capacity),
        DataType.UInt64 => GC.AllocateUninitializedArray<ulong>(capacity),
        _ => throw new InvalidOperationException($"the arena cannot hold {dataType.Name()} buffers"),
    };

    private static void Unlink(ArenaBlock?[] heads, ArenaBlock block)
    {
        if (!block.IsFree)
        {
            return;
        }

        if (block.Previous is not null)
        {
            block.Previous.Next = block.Next;
        }
        else
        {
            heads[block.SizeClass] = block.Next;
        }

        if (block.Next is not null)
        {
            block.Next.Previous = block.Previous;
        }

        block.Previous = null;
        block.Next = null;
        block.IsFree = false;
    }
}
