using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

using OpenAutoGlm.Cli.Running;

namespace OpenAutoGlm.Cli.Benchmarking;

/// <summary>The feeds of one batch size: given files as loaded, the other inputs seeded random data.</summary>
internal sealed record BenchInputs(Dictionary<string, DataValue> Values, Dictionary<string, string> Origins, int Batch)
{
    /// <summary>
    /// Builds the feeds for <paramref name="batch"/>. A batched input (one whose leading dim is symbolic or
    /// unknown) given as a file must have that leading dim when the batch size was chosen on the command line.
    /// Without a chosen batch size the reported batch is the leading dim of the first batched input (1 if none).
    /// </summary>
    public static BenchInputs Build(InferenceSession session, IReadOnlyDictionary<string, DataValue> given, int batch, bool batchGiven, int seed)
    {
        var values = new Dictionary<string, DataValue>(StringComparer.Ordinal);
        var origins = new Dictionary<string, string>(StringComparer.Ordinal);
        int? reported = batchGiven ? batch : null;
        for (int i = 0; i < session.Inputs.Count; i++)
        {
            var input = session.Inputs[i];
            bool batched = input.Type is TensorTypeInfo { Shape: { Rank: > 0 } shape } && shape[0].Value is null;
            if (given.TryGetValue(input.Name, out var value))
            {
                if (batched && value is Tensor t && t.Rank > 0)
                {
                    if (batchGiven && t.Dims[0] != batch)
                    {
                        throw new UsageException($"--input {input.Name}: the file's leading (batch) dim is {t.Dims[0]}, but the batch size is {batch}; give a file with batch {batch} or leave the input out to generate it");
                    }

                    reported ??= t.Dims[0];
                }

                values[input.Name] = value;
                origins[input.Name] = "file";
            }
            else
            {
                values[input.Name] = RandomInputs.Create(input, i, seed, batch);
                origins[input.Name] = $"random, seed {seed}";
                if (batched)
                {
                    reported ??= batch;
                }
            }
        }

        foreach (var (name, value) in given)
        {
            if (!values.ContainsKey(name))
            {
                values[name] = value;
                origins[name] = "file";
            }
        }

        return new BenchInputs(values, origins, reported ?? 1);
    }
}
