using OpenAutoGlm.Core;
using OpenAutoGlm.Onnx.Protos;
using OpenAutoGlm.TestKit;
using Xunit.Abstractions;

namespace OpenAutoGlm.Onnx.Tests.Fuzzing;

/// <summary>
/// The backend-test value reader (input_N.pb / output_N.pb: TensorProto, SequenceProto, OptionalProto) under the
/// same contract as the model loader: every mutant is read or rejected with <see cref="ModelLoadException"/>.
/// </summary>
public sealed class ValueReaderFuzzTests
{
    private static readonly string[] s_tests =
    [
        "node/test_add",
        "node/test_cast_STRING_to_FLOAT",
        "node/test_sequence_insert_at_back",
        "node/test_optional_get_element_sequence",
        "node/test_identity_opt",
    ];

    private readonly ITestOutputHelper _output;

    public ValueReaderFuzzTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [OnnxTestDataFact("node")]
    public void MutantValuesReadOrFailWithModelLoadException()
    {
        int baseSeed = int.TryParse(Environment.GetEnvironmentVariable("AUTOGLM_FUZZ_SEED"), out int s) ? s : 20240611;
        int perFile = int.TryParse(Environment.GetEnvironmentVariable("AUTOGLM_FUZZ_MUTANTS"), out int n) ? n : 60;
        var failures = new List<string>();
        int read = 0;
        int files = 0;
        foreach (var test in s_tests)
        {
            string dir = Path.Combine(RepoPaths.OnnxTestData, test);
            if (!File.Exists(Path.Combine(dir, "model.onnx")))
            {
                continue;
            }

            var type = OnnxModelLoader.Load(Path.Combine(dir, "model.onnx")).Graph.Inputs[0].Type;
            byte[] original = File.ReadAllBytes(Path.Combine(dir, "test_data_set_0", "input_0.pb"));
            var parser = type switch
            {
                SequenceTypeInfo => (Google.Protobuf.MessageParser)SequenceProto.Parser,
                OptionalTypeInfo => OptionalProto.Parser,
                _ => TensorProto.Parser,
            };
            files++;
            for (int i = 0; i < perFile; i++)
            {
                int seed = unchecked((baseSeed * 1_000_003) + (files * 100_003) + i);
                var (mutant, mutation) = new ModelMutator(seed, parser).Mutate(original);
                try
                {
                    OnnxValueReader.Read(mutant, type, "mutant");
                    read++;
                }
                catch (ModelLoadException)
                {
                }
                catch (Exception ex)
                {
                    failures.Add($"{test} input_0.pb seed {seed} [{mutation}]: {ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}");
                }
            }
        }

        _output.WriteLine($"{files} files x {perFile} mutants: {read} read, {failures.Count} failures");
        Assert.True(files > 0, "none of the value files was found");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }

    [Fact]
    public void SequenceOfMixedElementTypesIsRejected()
    {
        var seq = new SequenceProto { ElemType = (int)SequenceProto.Types.DataType.Tensor };
        seq.TensorValues.Add(SampleModels.Tensor(string.Empty, TensorProto.Types.DataType.Float, [1], t => t.FloatData.Add(1)));
        seq.TensorValues.Add(SampleModels.Tensor(string.Empty, TensorProto.Types.DataType.Int64, [1], t => t.Int64Data.Add(1)));
        var type = new SequenceTypeInfo(new TensorTypeInfo(DataType.Float32, null));
        var ex = Assert.Throws<ModelLoadException>(() => OnnxValueReader.Read(Google.Protobuf.MessageExtensions.ToByteArray(seq), type, "seq.pb"));
        Assert.Contains("seq.pb: sequence item 1 is int64, item 0 is float32", ex.Message, StringComparison.Ordinal);
    }
}
