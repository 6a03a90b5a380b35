using System.Runtime.InteropServices;

namespace OpenAutoGlm.Core;

/// <summary>
/// A dense tensor: an element type, concrete dims (row-major) and storage. Numeric tensors are
/// <see cref="Tensor{T}"/> over a <see cref="Memory{T}"/> which either owns a managed array or borrows
/// memory (a caller's array slice, an arena block, native memory through a MemoryManager) without copying.
/// String tensors are <see cref="StringTensor"/>.
/// </summary>
public abstract class Tensor : DataValue
{
    private readonly int[] _dims;

    protected Tensor(DataType dataType, ReadOnlySpan<int> dims)
    {
        DataType = dataType;
        _dims = dims.ToArray();
        long n = 1;
        foreach (int d in _dims)
        {
            if (d < 0)
            {
                throw new InvalidShapeException($"negative dimension in shape {Shape.Format(dims)}");
            }

            // Checked before multiplying, so a product of huge dims cannot wrap around into a small count.
            if (d > 0 && n > Array.MaxLength / d)
            {
                throw new InvalidShapeException($"tensor of shape {Shape.Format(dims)} has more than {Array.MaxLength} elements, the most one buffer can hold");
            }

            n *= d;
        }

        Length = (int)n;
    }

    public DataType DataType { get; }

    /// <summary>Concrete dimensions, row-major.</summary>
    public ReadOnlySpan<int> Dims => _dims;

    public int Rank => _dims.Length;

    /// <summary>Element count (product of dims; 1 for a scalar).</summary>
    public int Length { get; }

    public override TypeInfo Type => new TensorTypeInfo(DataType, Shape.FromKnown(_dims));

    /// <summary>The dims as a new array.</summary>
    public int[] DimsArray() => (int[])_dims.Clone();

    public string ShapeString => Shape.Format(_dims);

    /// <summary>Typed view of the elements. Throws <see cref="DataTypeMismatchException"/> if <typeparamref name="T"/> is not the element type.</summary>
    public Span<T> AsSpan<T>()
        where T : unmanaged
    {
        if (this is Tensor<T> t)
        {
            return t.Memory.Span;
        }

        throw new DataTypeMismatchException($"tensor holds {DataType.Name()}, not {DataTypes.Of<T>().Name()}");
    }

    public ReadOnlySpan<T> AsReadOnlySpan<T>()
        where T : unmanaged => AsSpan<T>();

    /// <summary>The raw bytes of a numeric tensor (little-endian element layout).</summary>
    public abstract Span<byte> AsBytes();

    /// <summary>A tensor over the same storage with other dims of the same element count.</summary>
    public abstract Tensor Reshape(ReadOnlySpan<int> dims);

    /// <summary>A deep copy that owns its memory.</summary>
    public abstract Tensor Clone();

    /// <summary>Allocates a zero-filled tensor of <paramref name="dataType"/>.</summary>
    public static Tensor Allocate(DataType dataType, ReadOnlySpan<int> dims) => dataType switch
    {
        DataType.Float32 => new Tensor<float>(dims),
        DataType.Float64 => new Tensor<double>(dims),
        DataType.Float16 => new Tensor<Half>(dims),
        DataType.BFloat16 => new Tensor<BFloat16>(dims),
        DataType.Int8 => new Tensor<sbyte>(dims),
        DataType.Int16 => new Tensor<short>(dims),
        DataType.Int32 => new Tensor<int>(dims),
        DataType.Int64 => new Tensor<long>(dims),
        DataType.UInt8 => new Tensor<byte>(dims),
        DataType.UInt16 => new Tensor<ushort>(dims),
        DataType.UInt32 => new Tensor<uint>(dims),
        DataType.UInt64 => new Tensor<ulong>(dims),
        DataType.Bool => new Tensor<bool>(dims),
        DataType.String => new StringTensor(dims),
        _ => throw new DataTypeMismatchException($"cannot allocate a tensor of element type {dataType.Name()}"),
    };

    /// <summary>Creates a tensor over <paramref name="data"/> (not copied).</summary>
    public static Tensor<T> Create<T>(T[] data, params int[] dims)
        where T : unmanaged => new(data.AsMemory(), dims);

    /// <summary>Creates a tensor that borrows <paramref name="memory"/> (not copied).</summary>
    public static Tensor<T> Create<T>(Memory<T> memory, params int[] dims)
        where T : unmanaged => new(memory, dims);

    public static Tensor<T> Scalar<T>(T value)
        where T : unmanaged => new(new[] { value }.AsMemory(), ReadOnlySpan<int>.Empty);

    /// <summary>Reads an integer tensor (any int/uint type) as int64 values: used for shape-like inputs.</summary>
    public long[] ToInt64Array()
    {
        var result = new long[Length];
        switch (DataType)
        {
            case DataType.Int64: AsSpan<long>().CopyTo(result); break;
            case DataType.Int32: Widen(AsSpan<int>(), result); break;
            case DataType.Int16: Widen(AsSpan<short>(), result); break;
            case DataType.Int8: Widen(AsSpan<sbyte>(), result); break;
            case DataType.UInt8: Widen(AsSpan<byte>(), result); break;
            case DataType.UInt16: Widen(AsSpan<ushort>(), result); break;
            case DataType.UInt32: Widen(AsSpan<uint>(), result); break;
            case DataType.UInt64:
                var u = AsSpan<ulong>();
                for (int i = 0; i < u.Length; i++)
                {
                    result[i] = (long)u[i];
                }

                break;
            default:
                throw new DataTypeMismatchException($"expected an integer tensor, got {DataType.Name()}");
        }

        return result;

        static void Widen<T>(Span<T> src, long[] dst)
            where T : unmanaged, System.Numerics.IBinaryInteger<T>
        {
            for (int i = 0; i < src.Length; i++)
            {
                dst[i] = long.CreateTruncating(src[i]);
            }
        }
    }

    /// <summary>Reads any numeric or bool tensor as doubles (for summaries, comparisons and tests).</summary>
    public double[] ToDoubleArray()
    {
        var result = new double[Length];
        switch (DataType)
        {
            case DataType.Float32: Fill(AsSpan<float>(), result, static v => v); break;
            case DataType.Float64: AsSpan<double>().CopyTo(result); break;
            case DataType.Float16: Fill(AsSpan<Half>(), result, static v => (double)v); break;
            case DataType.BFloat16: Fill(AsSpan<BFloat16>(), result, static v => (double)v); break;
            case DataType.Bool: Fill(AsSpan<bool>(), result, static v => v ? 1 : 0); break;
            case DataType.UInt64: Fill(AsSpan<ulong>(), result, static v => v); break;
            default:
                var ints = ToInt64Array();
                for (int i = 0; i < ints.Length; i++)
                {
                    result[i] = ints[i];
                }

                break;
        }

        return result;

        static void Fill<T>(Span<T> src, double[] dst, Func<T, double> convert)
            where T : unmanaged
        {
            for (int i = 0; i < src.Length; i++)
            {
                dst[i] = convert(src[i]);
            }
        }
    }

    public override string ToString() => $"Tensor<{DataType.Name()}>{ShapeString}";

    protected static void CheckLength(int actual, int expected, ReadOnlySpan<int> dims)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"buffer holds {actual} elements but shape {Shape.Format(dims)} needs {expected}");
        }
    }
}

/// <summary>A numeric or bool tensor over <see cref="Memory{T}"/>.</summary>
public sealed class Tensor<T> : Tensor
    where T : unmanaged
{
    public Tensor(ReadOnlySpan<int> dims)
        : base(DataTypes.Of<T>(), dims)
    {
        Memory = new T[Length];
    }

    public Tensor(Memory<T> memory, ReadOnlySpan<int> dims)
        : base(DataTypes.Of<T>(), dims)
    {
        CheckLength(memory.Length, Length, dims);
        Memory = memory;
    }

    public Memory<T> Memory { get; }

    public Span<T> Span => Memory.Span;

    public T this[int index]
    {
        get => Memory.Span[index];
        set => Memory.Span[index] = value;
    }

    public override Span<byte> AsBytes() => MemoryMarshal.AsBytes(Memory.Span);

    public override Tensor<T> Reshape(ReadOnlySpan<int> dims) => new(Memory, dims);

    public override Tensor<T> Clone() => new(Memory.ToArray(), Dims);

    public T[] ToArray() => Memory.ToArray();
}

/// <summary>A tensor of UTF-8 strings (held as .NET strings).</summary>
public sealed class StringTensor : Tensor
{
    public StringTensor(ReadOnlySpan<int> dims)
        : base(DataType.String, dims)
    {
        Data = new string[Length];
        Array.Fill(Data, string.Empty);
    }

    public StringTensor(string[] data, ReadOnlySpan<int> dims)
        : base(DataType.String, dims)
    {
        CheckLength(data.Length, Length, dims);
        Data = data;
    }

    public string[] Data { get; }

    public override Span<byte> AsBytes() => throw new DataTypeMismatchException("string tensors have no byte view");

    public override StringTensor Reshape(ReadOnlySpan<int> dims) => new(Data, dims);

    public override StringTensor Clone() => new((string[])Data.Clone(), Dims);
}

/// <summary>An ONNX sparse tensor in COO form: values [NNZ], indices [NNZ, rank] or linearized [NNZ], dense dims.</summary>
public sealed class SparseTensor
{
    public SparseTensor(Tensor values, Tensor indices, long[] dims)
    {
        Values = values;
        Indices = indices;
        Dims = dims;
    }

    public Tensor Values { get; }

    public Tensor Indices { get; }

    public long[] Dims { get; }

    /// <summary>Expands to a dense tensor (zeros elsewhere).</summary>
    public Tensor ToDense()
    {
        int[] dims = Array.ConvertAll(Dims, d => checked((int)d));
        var dense = Tensor.Allocate(Values.DataType, dims);
        long[] idx = Indices.ToInt64Array();
        int nnz = Values.Length;
        int rank = dims.Length;
        bool linear = Indices.Rank == 1;
        int elem = Values.DataType.SizeOf();
        var src = Values.AsBytes();
        var dst = dense.AsBytes();
        for (int i = 0; i < nnz; i++)
        {
            long offset;
            if (linear)
            {
                offset = idx[i];
            }
            else
            {
                offset = 0;
                for (int r = 0; r < rank; r++)
                {
                    offset = (offset * dims[r]) + idx[(i * rank) + r];
                }
            }

            if (offset < 0 || offset >= dense.Length)
            {
                throw new ArgumentException($"sparse index {offset} out of range for dense shape {Shape.Format(dims)}");
            }

            src.Slice(i * elem, elem).CopyTo(dst.Slice((int)offset * elem, elem));
        }

        return dense;
    }
}
