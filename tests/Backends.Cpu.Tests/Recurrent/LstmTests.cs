using OpenAutoGlm.Core;

namespace OpenAutoGlm.Backends.Cpu.Tests.Recurrent;

[OpTest("LSTM")]
public sealed class LstmTests
{
    [Theory]
    [InlineData("forward", false)]
    [InlineData("reverse", false)]
    [InlineData("bidirectional", false)]
    [InlineData("forward", true)]
    [InlineData("reverse", true)]
    [InlineData("bidirectional", true)]
    public void AllInputsMatchTheOracle(string direction, bool batchFirst) =>
        new RecurrentCase("LSTM", seq: 4, batch: 3, input: 5, hidden: 6)
        {
            Direction = direction,
            BatchFirst = batchFirst,
            HasInitialH = true,
            HasInitialC = true,
            HasPeepholes = true,
        }.Check();

    [Fact]
    public void DefaultsWithoutOptionalInputs() =>
        new RecurrentCase("LSTM", seq: 3, batch: 2, input: 4, hidden: 3) { HasBias = false }.Check();

    [Theory]
    [InlineData("forward", false)]
    [InlineData("reverse", false)]
    [InlineData("bidirectional", false)]
    [InlineData("bidirectional", true)]
    public void SequenceLengthsZeroPadAndStopEachEntry(string direction, bool batchFirst) =>
        new RecurrentCase("LSTM", seq: 5, batch: 4, input: 3, hidden: 4, seed: 7)
        {
            Direction = direction,
            BatchFirst = batchFirst,
            Lengths = [5, 2, 0, 3],
            HasInitialH = true,
            HasInitialC = true,
            HasPeepholes = true,
        }.Check();

    [Fact]
    public void InputForgetCouplesTheForgetGate() =>
        new RecurrentCase("LSTM", seq: 3, batch: 2, input: 3, hidden: 4, seed: 3)
        {
            InputForget = true,
            HasPeepholes = true,
            HasInitialC = true,
        }.Check();

    [Fact]
    public void ClipBoundsEveryPreActivation() =>
        new RecurrentCase("LSTM", seq: 4, batch: 2, input: 6, hidden: 3, seed: 5) { Clip = 0.3f, HasInitialH = true }.Check();

    [Fact]
    public void CustomActivationsPerDirectionConsumeAlphaAndBetaInOrder() =>
        new RecurrentCase("LSTM", seq: 3, batch: 2, input: 3, hidden: 5, seed: 11)
        {
            Direction = "bidirectional",
            Clip = 2f,
            Activations =
            [
                new("HardSigmoid", 0.3, 0.4), new("LeakyRelu", 0.05), new("Softsign"),
                new("Sigmoid"), new("Elu", 0.7), new("ScaledTanh", 1.5, 0.8),
            ],

            // HardSigmoid takes (alpha, beta), LeakyRelu alpha, Elu alpha, ScaledTanh (alpha, beta).
            AlphaAttribute = [0.3f, 0.05f, 0.7f, 1.5f],
            BetaAttribute = [0.4f, 0.8f],
        }.Check(rtol: 1e-4, atol: 2e-5);

    [Fact]
    public void OneDirectionsActivationListIsReusedForTheReverseDirection() =>
        new RecurrentCase("LSTM", seq: 3, batch: 1, input: 2, hidden: 3, seed: 2)
        {
            Direction = "bidirectional",
            Activations = [new("Sigmoid"), new("Relu"), new("Softplus")],
        }.Check();

    [Fact]
    public void MissingActivationParametersTakeOperatorDefaults() =>
        new RecurrentCase("LSTM", seq: 2, batch: 2, input: 3, hidden: 3, seed: 4)
        {
            Activations = [new("HardSigmoid", 0.2, 0.5), new("LeakyRelu", 0.01), new("ThresholdedRelu", 1.0)],
        }.Check();

    [Fact]
    public void LargeShapesUseTheVectorGemm() =>
        new RecurrentCase("LSTM", seq: 6, batch: 9, input: 37, hidden: 21, seed: 13)
        {
            Direction = "bidirectional",
            HasInitialH = true,
            HasInitialC = true,
            HasPeepholes = true,
        }.Check(rtol: 1e-4, atol: 5e-5);

    [Fact]
    public void Float64() =>
        new RecurrentCase("LSTM", seq: 3, batch: 2, input: 3, hidden: 4) { DataType = DataType.Float64, Direction = "bidirectional", HasPeepholes = true }.Check(rtol: 1e-10, atol: 1e-12);

    [Fact]
    public void Float16ComputesInFloat32() =>
        new RecurrentCase("LSTM", seq: 3, batch: 2, input: 3, hidden: 4) { DataType = DataType.Float16, HasInitialH = true }.Check(rtol: 5e-3, atol: 2e-3);

    [Theory]
    [InlineData(7L)]
    [InlineData(1L)]
    public void OlderOpsets(long opset) =>
        new RecurrentCase("LSTM", seq: 3, batch: 2, input: 3, hidden: 4) { Opset = opset, Direction = "reverse", HasInitialC = true }.Check();

    [Fact]
    public void WrongWeightShapeNamesTheInput()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => Case().Tester().Attr("hidden_size", 5L).Run());
        Assert.Contains("input W has shape [1,16,3]", ex.Message);
        Assert.Contains("hidden_size=5", ex.Message);
    }

    [Fact]
    public void WrongPeepholeShapeNamesTheInput()
    {
        var t = new RecurrentCase("LSTM", seq: 2, batch: 1, input: 3, hidden: 4) { PeepholeTensor = Tensor.Create(new float[5], 1, 5) }.Tester();
        var ex = Assert.ThrowsAny<AutoGlmException>(() => t.Run());
        Assert.Contains("input P has shape [1,5]", ex.Message);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(-1)]
    public void SequenceLengthOutsideRangeIsRejected(int length)
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new RecurrentCase("LSTM", seq: 3, batch: 2, input: 3, hidden: 4) { Lengths = [3, length] }.Tester().Run());
        Assert.Contains($"sequence_lens has value {length} for batch entry 1", ex.Message);
    }

    [Fact]
    public void UnknownActivationIsRejected()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => Case().Tester().Attribute(NodeAttribute.Of("activations", new[] { "Sigmoid", "Swish", "Tanh" })).Run());
        Assert.Contains("unknown function 'Swish'", ex.Message);
    }

    [Fact]
    public void WrongActivationCountIsRejected()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => Case().Tester().Attribute(NodeAttribute.Of("activations", new[] { "Sigmoid", "Tanh" })).Run());
        Assert.Contains("must list 3 functions", ex.Message);
    }

    [Fact]
    public void UnknownDirectionIsRejected()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => Case().Tester().Attr("direction", "sideways").Run());
        Assert.Contains("'sideways'", ex.Message);
    }

    private static RecurrentCase Case() => new("LSTM", seq: 2, batch: 2, input: 3, hidden: 4);
}
