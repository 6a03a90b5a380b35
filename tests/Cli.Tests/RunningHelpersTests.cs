using OpenAutoGlm.Cli.Running;
using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Cli.Tests;

public class RunningHelpersTests
{
    [Theory]
    [InlineData(DataType.Float32)]
    [InlineData(DataType.Float64)]
    [InlineData(DataType.Float16)]
    [InlineData(DataType.BFloat16)]
    public void Random_floats_are_in_minus_one_to_one(DataType type)
    {
        var t = RandomInputs.Create(ValueInfo.Tensor("x", type, new Shape(Dim.Symbolic("n"), 50)), 0, 3);
        Assert.Equal(new[] { 1, 50 }, t.DimsArray());
        var values = t.ToDoubleArray();
        Assert.All(values, v => Assert.InRange(v, -1.0, 1.0));
        Assert.Contains(values, v => v < 0);
        Assert.Contains(values, v => v > 0);
    }

    [Theory]
    [InlineData("input_ids", 0, 9)]
    [InlineData("position_ids", 0, 9)]
    [InlineData("token_type_ids", 0, 0)]
    [InlineData("segment", 0, 0)]
    [InlineData("attention_mask", 1, 1)]
    [InlineData("count", 0, 99)]
    public void Random_integers_depend_on_the_input_name(string name, long low, long high)
    {
        foreach (var type in new[] { DataType.Int8, DataType.Int16, DataType.Int32, DataType.Int64, DataType.UInt8, DataType.UInt16, DataType.UInt32, DataType.UInt64 })
        {
            var t = RandomInputs.Create(ValueInfo.Tensor(name, type, new Shape(4, 64)), 1, 0);
            Assert.Equal(type, t.DataType);
            Assert.All(t.ToInt64Array(), v => Assert.InRange(v, low, high));
        }
    }

    [Fact]
    public void Random_bools_have_both_values_and_unknown_dims_become_one()
    {
        var t = RandomInputs.Create(ValueInfo.Tensor("flags", DataType.Bool, new Shape(Dim.Unknown, 100)), 0, 0);
        Assert.Equal(new[] { 1, 100 }, t.DimsArray());
        var values = t.AsReadOnlySpan<bool>().ToArray();
        Assert.Contains(true, values);
        Assert.Contains(false, values);
    }

    [Fact]
    public void Random_inputs_refuse_unknown_rank_strings_and_optionals()
    {
        var rank = Assert.Throws<UsageException>(() => RandomInputs.Create(ValueInfo.Tensor("x", DataType.Float32, null), 0, 0));
        Assert.Contains("input 'x' has an unknown rank", rank.Message, StringComparison.Ordinal);
        var text = Assert.Throws<UsageException>(() => RandomInputs.Create(ValueInfo.Tensor("s", DataType.String, new Shape(1)), 0, 0));
        Assert.Contains("input 's' has element type string", text.Message, StringComparison.Ordinal);
        var optional = Assert.Throws<UsageException>(() => RandomInputs.Create(new ValueInfo("o", new OptionalTypeInfo(new TensorTypeInfo(DataType.Float32, null))), 0, 0));
        Assert.Contains("input 'o' is optional(float32[?])", optional.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("logits", "logits")]
    [InlineData("out/relu:0", "out_relu_0")]
    [InlineData("a b\u00e9.x-y_z", "a_b_.x-y_z")]
    [InlineData("..", "_..")]
    [InlineData("", "_")]
    public void Output_file_names_keep_only_safe_characters(string name, string expected)
    {
        Assert.Equal(expected, OutputFiles.SafeFileName(name));
    }

    [Fact]
    public void Sequence_outputs_write_one_file_per_item_and_strings_are_skipped()
    {
        using var dir = new TempDirectory();
        var notes = new List<string>();
        var seq = new TensorSequence(DataType.Int32, [new Tensor<int>(new[] { 1 }, [1]), new Tensor<int>(new[] { 2, 3 }, [2])]);
        var files = OutputFiles.Write(dir.Path, "seq", seq, notes);
        Assert.Equal([dir.File("seq_0.npy"), dir.File("seq_1.npy")], files);

        Assert.Empty(OutputFiles.Write(dir.Path, "names", new StringTensor(["a"], [1]), notes));
        Assert.Empty(OutputFiles.Write(dir.Path, "maybe", new OptionalValue(new TensorTypeInfo(DataType.Float32, null), null), notes));
        Assert.Equal(2, notes.Count);
    }

    [Fact]
    public void Summaries_show_stats_and_first_values()
    {
        Assert.Equal(
            "float32 [2,4]  min=-1 max=6 mean=2.5625  [-1, 0, 1, 2.5, 3, 4, ...]",
            ValueSummary.Describe(new Tensor<float>(new[] { -1f, 0f, 1f, 2.5f, 3f, 4f, 5f, 6f }, [2, 4])));
        Assert.Equal("bool [3]  true=2/3  [true, false, true]", ValueSummary.Describe(new Tensor<bool>(new[] { true, false, true }, [3])));
        Assert.Equal("float32 [0,2]  (empty)", ValueSummary.Describe(new Tensor<float>([0, 2])));
        Assert.Equal("float64 [3]  min=1 max=3 mean=2 nan=1  [1, NaN, 3]", ValueSummary.Describe(new Tensor<double>(new[] { 1, double.NaN, 3 }, [3])));
        Assert.Equal("string [2]  [\"a\", \"b\"]", ValueSummary.Describe(new StringTensor(["a", "b"], [2])));
        Assert.Equal("sequence of 1 int32 tensors: [2]", ValueSummary.Describe(new TensorSequence(DataType.Int32, [new Tensor<int>([2])])));
        Assert.Equal("optional float32[?]: empty", ValueSummary.Describe(new OptionalValue(new TensorTypeInfo(DataType.Float32, null), null)));
    }
}
