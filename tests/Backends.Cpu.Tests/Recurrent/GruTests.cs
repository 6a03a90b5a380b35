using OpenAutoGlm.Core;

namespace OpenAutoGlm.Backends.Cpu.Tests.Recurrent;

[OpTest("GRU")]
public sealed class GruTests
{
    [Theory]
    [InlineData("forward", false, false)]
    [InlineData("reverse", false, false)]
    [InlineData("bidirectional", false, false)]
    [InlineData("forward", true, false)]
    [InlineData("bidirectional", true, false)]
    [InlineData("forward", false, true)]
    [InlineData("reverse", false, true)]
    [InlineData("bidirectional", true, true)]
    public void AllInputsMatchTheOracle(string direction, bool batchFirst, bool linearBeforeReset) =>
        new RecurrentCase("GRU", seq: 4, batch: 3, input: 5, hidden: 6)
        {
            Direction = direction,
            BatchFirst = batchFirst,
            LinearBeforeReset = linearBeforeReset,
            HasInitialH = true,
        }.Check();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DefaultsWithoutOptionalInputs(bool linearBeforeReset) =>
        new RecurrentCase("GRU", seq: 3, batch: 2, input: 4, hidden: 3) { HasBias = false, LinearBeforeReset = linearBeforeReset }.Check();

    [Theory]
    [InlineData("forward", false, false)]
    [InlineData("reverse", false, true)]
    [InlineData("bidirectional", false, false)]
    [InlineData("bidirectional", true, true)]
    public void SequenceLengthsZeroPadAndStopEachEntry(string direction, bool batchFirst, bool linearBeforeReset) =>
        new RecurrentCase("GRU", seq: 5, batch: 4, input: 3, hidden: 4, seed: 7)
        {
            Direction = direction,
            BatchFirst = batchFirst,
            LinearBeforeReset = linearBeforeReset,
            Lengths = [1, 5, 0, 4],
            HasInitialH = true,
        }.Check();

    [Fact]
    public void ClipAndCustomActivations() =>
        new RecurrentCase("GRU", seq: 3, batch: 2, input: 4, hidden: 5, seed: 9)
        {
            Direction = "bidirectional",
            Clip = 0.4f,
            LinearBeforeReset = true,
            Activations = [new("HardSigmoid", 0.25, 0.45), new("Affine", 0.9, 0.1), new("Sigmoid"), new("ThresholdedRelu", 0.05)],
            AlphaAttribute = [0.25f, 0.9f, 0.05f],
            BetaAttribute = [0.45f, 0.1f],
            HasInitialH = true,
        }.Check();

    [Fact]
    public void LargeShapesUseTheVectorGemm() =>
        new RecurrentCase("GRU", seq: 5, batch: 8, input: 33, hidden: 19, seed: 17)
        {
            Direction = "bidirectional",
            HasInitialH = true,
            Lengths = [5, 4, 3, 5, 1, 2, 5, 5],
        }.Check(rtol: 1e-4, atol: 5e-5);

    [Fact]
    public void Float64() =>
        new RecurrentCase("GRU", seq: 3, batch: 2, input: 3, hidden: 4) { DataType = DataType.Float64, LinearBeforeReset = true }.Check(rtol: 1e-10, atol: 1e-12);

    [Fact]
    public void Float16ComputesInFloat32() =>
        new RecurrentCase("GRU", seq: 3, batch: 2, input: 3, hidden: 4) { DataType = DataType.Float16, Direction = "reverse" }.Check(rtol: 5e-3, atol: 2e-3);

    [Theory]
    [InlineData(7L, true)]
    [InlineData(3L, true)]
    [InlineData(1L, false)]
    public void OlderOpsets(long opset, bool linearBeforeReset) =>
        new RecurrentCase("GRU", seq: 3, batch: 2, input: 3, hidden: 4) { Opset = opset, LinearBeforeReset = linearBeforeReset, HasInitialH = true }.Check();

    [Fact]
    public void WrongRecurrenceShapeNamesTheInput()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => Case().Tester().Attr("hidden_size", 3L).Run());
        Assert.Contains("input W has shape [1,12,3]", ex.Message);
    }

    [Fact]
    public void WrongBiasShapeNamesTheInput()
    {
        var bad = new OpenAutoGlm.TestKit.OpTester("GRU")
            .Input(Tensor.Create(new float[2 * 2 * 3], 2, 2, 3))
            .Input(Tensor.Create(new float[12 * 3], 1, 12, 3))
            .Input(Tensor.Create(new float[12 * 4], 1, 12, 4))
            .Input(Tensor.Create(new float[12], 1, 12))
            .Attr("hidden_size", 4L);
        var ex = Assert.ThrowsAny<AutoGlmException>(() => bad.Run());
        Assert.Contains("input B has shape [1,12]", ex.Message);
        Assert.Contains("[1,24]", ex.Message);
    }

    [Fact]
    public void SequenceLengthBeyondSeqIsRejected()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new RecurrentCase("GRU", seq: 2, batch: 2, input: 3, hidden: 4) { Lengths = [7, 1] }.Tester().Run());
        Assert.Contains("sequence_lens has value 7 for batch entry 0", ex.Message);
        Assert.Contains("seq_length=2", ex.Message);
    }

    [Fact]
    public void UnknownActivationIsRejected()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => Case().Tester().Attribute(NodeAttribute.Of("activations", new[] { "Sigmoid", "Gelu" })).Run());
        Assert.Contains("unknown function 'Gelu'", ex.Message);
    }

    private static RecurrentCase Case() => new("GRU", seq: 2, batch: 2, input: 3, hidden: 4);
}
