using OpenAutoGlm.Core;

namespace OpenAutoGlm.Cli.Running;

/// <summary>
/// Seeded random values for inputs the user did not give. Symbolic or unknown dims become 1 (a symbolic or
/// unknown leading dim becomes the requested batch size, 1 by default). Floats are
/// uniform in [-1, 1); bools are fair coin flips; integers are uniform in [0, 100), except inputs named
/// like token ids (<c>*ids*</c>: [0, 10)), token types (<c>*type_ids*</c>, <c>*segment*</c>: 0) and masks
/// (<c>*mask*</c>: 1), so embedding lookups stay in range. Each input gets its own generator seeded from
/// (seed, input position), so giving one input does not change the others.
/// </summary>
internal static class RandomInputs
{
    public static Tensor Create(ValueInfo input, int index, int seed, int batch = 1)
    {
        if (input.Type is not TensorTypeInfo tensorType)
        {
            throw new UsageException($"input '{input.Name}' is {input.Type?.ToString() ?? "of unknown type"}; random values can only be generated for tensors: provide it with --input {input.Name}=FILE.pb (an ONNX SequenceProto/OptionalProto)");
        }

        if (tensorType.Shape is not { } shape)
        {
            throw new UsageException($"input '{input.Name}' has an unknown rank; provide it with --input {input.Name}=FILE.npy");
        }

        var type = tensorType.ElementType;
        if (!type.IsNumeric() && type != DataType.Bool)
        {
            throw new UsageException($"input '{input.Name}' has element type {type.Name()}; random values are generated only for numeric and bool inputs: provide it with --input {input.Name}=FILE");
        }

        int[] dims = shape.Select((d, i) => d.Value is long v ? checked((int)v) : i == 0 ? batch : 1).ToArray();
        var tensor = Tensor.Allocate(type, dims);
        var rng = new Random(unchecked((seed * 1_000_003) + index));
        Fill(tensor, rng, IntegerRange(input.Name));
        return tensor;
    }

    /// <summary>Integer range [Low, High) for an input name.</summary>
    internal static (int Low, int High) IntegerRange(string name)
    {
        string n = name.ToLowerInvariant();
        if (n.Contains("mask", StringComparison.Ordinal))
        {
            return (1, 2);
        }

        if (n.Contains("type_ids", StringComparison.Ordinal) || n.Contains("segment", StringComparison.Ordinal))
        {
            return (0, 1);
        }

        return n.Contains("ids", StringComparison.Ordinal) ? (0, 10) : (0, 100);
    }

    private static void Fill(Tensor tensor, Random rng, (int Low, int High) range)
    {
        switch (tensor.DataType)
        {
            case DataType.Float32: FillWith(tensor.AsSpan<float>(), () => (float)Uniform(rng)); break;
            case DataType.Float64: FillWith(tensor.AsSpan<double>(), () => Uniform(rng)); break;
            case DataType.Float16: FillWith(tensor.AsSpan<Half>(), () => (Half)Uniform(rng)); break;
            case DataType.BFloat16: FillWith(tensor.AsSpan<BFloat16>(), () => (BFloat16)Uniform(rng)); break;
            case DataType.Bool: FillWith(tensor.AsSpan<bool>(), () => rng.Next(2) == 1); break;
            case DataType.Int8: FillWith(tensor.AsSpan<sbyte>(), () => (sbyte)Next(rng, range)); break;
            case DataType.Int16: FillWith(tensor.AsSpan<short>(), () => (short)Next(rng, range)); break;
            case DataType.Int32: FillWith(tensor.AsSpan<int>(), () => Next(rng, range)); break;
            case DataType.Int64: FillWith(tensor.AsSpan<long>(), () => Next(rng, range)); break;
            case DataType.UInt8: FillWith(tensor.AsSpan<byte>(), () => (byte)Next(rng, range)); break;
            case DataType.UInt16: FillWith(tensor.AsSpan<ushort>(), () => (ushort)Next(rng, range)); break;
            case DataType.UInt32: FillWith(tensor.AsSpan<uint>(), () => (uint)Next(rng, range)); break;
            case DataType.UInt64: FillWith(tensor.AsSpan<ulong>(), () => (ulong)Next(rng, range)); break;
            default: throw new UsageException($"cannot generate random {tensor.DataType.Name()} values");
        }
    }

    /// <summary>Uniform in [-1, 1).</summary>
    private static double Uniform(Random rng) => (rng.NextDouble() * 2) - 1;

    private static int Next(Random rng, (int Low, int High) range) => rng.Next(range.Low, range.High);

    private static void FillWith<T>(Span<T> span, Func<T> next)
    {
        for (int i = 0; i < span.Length; i++)
        {
            span[i] = next();
        }
    }
}
