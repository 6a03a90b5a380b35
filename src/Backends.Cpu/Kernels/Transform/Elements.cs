using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using OpenAutoGlm.Core;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Transform;

/// <summary>A data-movement routine written once over an element type T (see <see cref="Elements"/>).</summary>
internal interface IElementAction
{
    void Invoke<T>();
}

/// <summary>An arithmetic routine written once over a numeric element type T (see <see cref="Elements.DispatchNumeric"/>).</summary>
internal interface INumericAction
{
    void Invoke<T>()
        where T : unmanaged, INumber<T>;
}

/// <summary>
/// Data-movement kernels run for every dtype without per-type copies: numeric tensors are viewed as
/// same-size unsigned integers (byte, ushort, uint, ulong), string tensors as string. Moving those
/// preserves every value bit for bit (NaN payloads, -0.0, bool bytes).
/// </summary>
internal static class Elements
{
    /// <summary>Calls <c>action.Invoke&lt;T&gt;()</c> with the element stand-in type for <paramref name="type"/>.</summary>
    public static void Dispatch<TAction>(DataType type, ref TAction action)
        where TAction : struct, IElementAction
    {
        if (type == DataType.String)
        {
            action.Invoke<string>();
            return;
        }

        switch (type.SizeOf())
        {
            case 1: action.Invoke<byte>(); break;
            case 2: action.Invoke<ushort>(); break;
            case 4: action.Invoke<uint>(); break;
            case 8: action.Invoke<ulong>(); break;
            default: throw new DataTypeMismatchException($"element type {type.Name()} is not supported by data-movement kernels");
        }
    }

    /// <summary>
    /// Calls <c>action.Invoke&lt;T&gt;()</c> with the real CLR element type (float, Half, BFloat16, bool,
    /// string, ...), for kernels that compare values (sorting, TopK, Unique).
    /// </summary>
    public static void DispatchTyped<TAction>(DataType type, ref TAction action)
        where TAction : struct, IElementAction
    {
        switch (type)
        {
            case DataType.Float32: action.Invoke<float>(); break;
            case DataType.Float64: action.Invoke<double>(); break;
            case DataType.Float16: action.Invoke<Half>(); break;
            case DataType.BFloat16: action.Invoke<BFloat16>(); break;
            case DataType.Int8: action.Invoke<sbyte>(); break;
            case DataType.Int16: action.Invoke<short>(); break;
            case DataType.Int32: action.Invoke<int>(); break;
            case DataType.Int64: action.Invoke<long>(); break;
            case DataType.UInt8: action.Invoke<byte>(); break;
            case DataType.UInt16: action.Invoke<ushort>(); break;
            case DataType.UInt32: action.Invoke<uint>(); break;
            case DataType.UInt64: action.Invoke<ulong>(); break;
            case DataType.Bool: action.Invoke<bool>(); break;
            case DataType.String: action.Invoke<string>(); break;
            default: throw new DataTypeMismatchException($"element type {type.Name()} is not supported");
        }
    }

    /// <summary>
    /// Calls <c>action.Invoke&lt;T&gt;()</c> for types with arithmetic (INumber); false for bfloat16, bool
    /// and string, which the caller handles (bfloat16 through float) or rejects.
    /// </summary>
    public static bool DispatchNumeric<TAction>(DataType type, ref TAction action)
        where TAction : struct, INumericAction
    {
        switch (type)
        {
            case DataType.Float32: action.Invoke<float>(); break;
            case DataType.Float64: action.Invoke<double>(); break;
            case DataType.Float16: action.Invoke<Half>(); break;
            case DataType.Int8: action.Invoke<sbyte>(); break;
            case DataType.Int16: action.Invoke<short>(); break;
            case DataType.Int32: action.Invoke<int>(); break;
            case DataType.Int64: action.Invoke<long>(); break;
            case DataType.UInt8: action.Invoke<byte>(); break;
            case DataType.UInt16: action.Invoke<ushort>(); break;
            case DataType.UInt32: action.Invoke<uint>(); break;
            case DataType.UInt64: action.Invoke<ulong>(); break;
            default: return false;
        }

        return true;
    }

    /// <summary>The elements of <paramref name="tensor"/> as <typeparamref name="T"/>, the type chosen by one of the dispatchers.</summary>
    public static Span<T> Of<T>(Tensor tensor)
    {
        if (typeof(T) == typeof(string))
        {
            return Unsafe.As<T[]>(((StringTensor)tensor).Data);
        }

        Span<byte> bytes = tensor.AsBytes();
        return MemoryMarshal.CreateSpan(ref Unsafe.As<byte, T>(ref MemoryMarshal.GetReference(bytes)), bytes.Length / Unsafe.SizeOf<T>());
    }

    /// <summary>The zero of an element type: all-zero bits for numbers and bool, "" for strings.</summary>
    public static T Zero<T>() => typeof(T) == typeof(string) ? (T)(object)string.Empty : default!;

    /// <summary>Copies <paramref name="count"/> elements between tensors of the same element type.</summary>
    public static void Copy(Tensor source, int sourceIndex, Tensor destination, int destinationIndex, int count)
    {
        if (source is StringTensor s)
        {
            Array.Copy(s.Data, sourceIndex, ((StringTensor)destination).Data, destinationIndex, count);
            return;
        }

        int size = source.DataType.SizeOf();
        source.AsBytes().Slice(sourceIndex * size, count * size).CopyTo(destination.AsBytes().Slice(destinationIndex * size, count * size));
    }

    /// <summary>
    /// dst[i·block .. (i+1)·block) = src[offsets[i] .. offsets[i]+block) for every i: the copy behind
    /// Gather, GatherND, GatherElements (block 1), Compress, ReverseSequence and Unique.
    /// </summary>
    public static void GatherBlocks(Tensor source, ReadOnlySpan<int> offsets, int block, Tensor destination)
    {
        var job = new GatherBlocksJob(source, offsets.ToArray(), block, destination);
        Dispatch(source.DataType, ref job);
    }

    /// <summary>Row-major strides (in elements) of <paramref name="dims"/>.</summary>
    public static int[] Strides(ReadOnlySpan<int> dims)
    {
        var strides = new int[dims.Length];
        int s = 1;
        for (int i = dims.Length - 1; i >= 0; i--)
        {
            strides[i] = s;
            s *= dims[i];
        }

        return strides;
    }

    /// <summary>Product of <paramref name="dims"/>[start..end).</summary>
    public static int Product(ReadOnlySpan<int> dims, int start, int end)
    {
        int p = 1;
        for (int i = start; i < end; i++)
        {
            p *= dims[i];
        }

        return p;
    }

    private readonly struct GatherBlocksJob(Tensor source, int[] offsets, int block, Tensor destination) : IElementAction
    {
        public void Invoke<T>()
        {
            var src = Of<T>(source);
            var dst = Of<T>(destination);
            if (block == 1)
            {
                for (int i = 0; i < offsets.Length; i++)
                {
                    dst[i] = src[offsets[i]];
                }

                return;
            }

            for (int i = 0; i < offsets.Length; i++)
            {
                src.Slice(offsets[i], block).CopyTo(dst.Slice(i * block, block));
            }
        }
    }
}
