using OpenAutoGlm.Cli.Npy;
using OpenAutoGlm.Core;
using OpenAutoGlm.Onnx;

namespace OpenAutoGlm.Cli.Running;

/// <summary>
/// Reads <c>--input</c> files for declared inputs: <c>.npy</c> through <see cref="NpyFile"/>, <c>.pb</c>
/// (ONNX TensorProto, SequenceProto or OptionalProto, as in the ONNX backend tests) through <see cref="OnnxValueReader"/>.
/// </summary>
internal static class InputLoader
{
    public static Dictionary<string, DataValue> Load(IReadOnlyList<InputSpec> specs, IReadOnlyList<ValueInfo> declared)
    {
        var byName = declared.ToDictionary(v => v.Name, StringComparer.Ordinal);
        var result = new Dictionary<string, DataValue>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            if (!byName.TryGetValue(spec.Name, out var info))
            {
                string known = declared.Count == 0 ? "none" : string.Join(", ", declared.Select(v => v.Name));
                throw new UsageException($"--input {spec.Name}={spec.Path}: the model has no input '{spec.Name}'; its inputs are: {known}");
            }

            if (result.ContainsKey(spec.Name))
            {
                throw new UsageException($"--input {spec.Name} is given more than once");
            }

            if (!File.Exists(spec.Path))
            {
                throw new UsageException($"--input {spec.Name}={spec.Path}: file not found");
            }

            var value = spec.Path.EndsWith(".pb", StringComparison.OrdinalIgnoreCase)
                ? OnnxValueReader.Read(spec.Path, info.Type)
                : NpyFile.Read(spec.Path);
            Check(spec, info, value);
            result[spec.Name] = value;
        }

        return result;
    }

    /// <summary>Compares a tensor with its declaration, naming the input, the file and expected vs actual.</summary>
    private static void Check(InputSpec spec, ValueInfo info, DataValue value)
    {
        if (info.Type is not TensorTypeInfo expected || value is not Tensor t)
        {
            return;
        }

        if (expected.ElementType != DataType.Undefined && expected.ElementType != t.DataType)
        {
            throw new InvalidInputException($"input '{spec.Name}' ({spec.Path}): expected dtype {expected.ElementType.Name()}, got {t.DataType.Name()}");
        }

        if (expected.Shape is not { } shape)
        {
            return;
        }

        bool matches = shape.Rank == t.Rank;
        for (int i = 0; matches && i < shape.Rank; i++)
        {
            matches = shape[i].Value is not long d || d == t.Dims[i];
        }

        if (!matches)
        {
            throw new InvalidInputException($"input '{spec.Name}' ({spec.Path}): expected shape {shape}, got {t.ShapeString}");
        }
    }
}
