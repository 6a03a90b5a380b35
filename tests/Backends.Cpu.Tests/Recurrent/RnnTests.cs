using OpenAutoGlm.Core;

namespace OpenAutoGlm.Backends.Cpu.Tests.Recurrent;

[OpTest("RNN")]
public sealed class RnnTests
{
    [Theory]
    [InlineData("forward", false)]
    [InlineData("reverse", false)]
    [InlineData("bidirectional", false)]
    [InlineData("forward", true)]
    [InlineData("reverse", true)]
    [InlineData("bidirectional", true)]
    public void AllInputsMatchTheOracle(string direction, bool batchFirst) =>
        new RecurrentCase("RNN", seq: 4, batch: 3, input: 5, hidden: 6)
        {
            Direction = direction,
            BatchFirst = batchFirst,
            HasInitialH = true,
        }.Check();

    [Fact]
    public void DefaultsWithoutOptionalInputs() =>
        new RecurrentCase("RNN", seq: 3, batch: 2, input: 4, hidden: 3) { HasBias = false }.Check();

    [Theory]
    [InlineData("forward", false)]
    [InlineData("reverse", true)]
    [InlineData("bidirectional", false)]
    public void SequenceLengthsZeroPadAndStopEachEntry(string direction, bool batchFirst) =>
        new RecurrentCase("RNN", seq: 4, batch: 3, input: 3, hidden: 4, seed: 7)
        {
            Direction = direction,
            BatchFirst = batchFirst,
            Lengths = [0, 4, 2],
            HasInitialH = true,
        }.Check();

    /// <summary>Every activation the recurrent ops accept, with an explicit alpha/beta where it takes them.</summary>
    [Theory]
    [InlineData("Sigmoid", null, null)]
    [InlineData("Tanh", null, null)]
    [InlineData("Relu", null, null)]
    [InlineData("Affine", 0.7f, -0.2f)]
    [InlineData("LeakyRelu", 0.1f, null)]
    [InlineData("ThresholdedRelu", 0.2f, null)]
    [InlineData("ScaledTanh", 1.3f, 0.6f)]
    [InlineData("HardSigmoid", 0.3f, 0.6f)]
    [InlineData("Elu", 0.8f, null)]
    [InlineData("Softsign", null, null)]
    [InlineData("Softplus", null, null)]
    public void EachActivation(string name, float? alpha, float? beta) =>
        new RecurrentCase("RNN", seq: 3, batch: 2, input: 3, hidden: 4, seed: 21)
        {
            Activations = [new(name, alpha ?? 0, beta ?? 0)],
            AlphaAttribute = alpha is float a ? [a] : null,
            BetaAttribute = beta is float b ? [b] : null,
            HasInitialH = true,
        }.Check();

    [Fact]
    public void ClipAndActivationsPerDirection() =>
        new RecurrentCase("RNN", seq: 4, batch: 2, input: 3, hidden: 3, seed: 5)
        {
            Direction = "bidirectional",
            Clip = 0.5f,
            Activations = [new("Relu"), new("LeakyRelu", 0.2)],
            AlphaAttribute = [0.2f],
        }.Check();

    [Fact]
    public void LargeShapesUseTheVectorGemm() =>
        new RecurrentCase("RNN", seq: 7, batch: 10, input: 40, hidden: 24, seed: 19) { Direction = "bidirectional", BatchFirst = true }.Check(rtol: 1e-4, atol: 5e-5);

    [Fact]
    public void Float64() =>
        new RecurrentCase("RNN", seq: 3, batch: 2, input: 3, hidden: 4) { DataType = DataType.Float64, Lengths = [2, 3] }.Check(rtol: 1e-10, atol: 1e-12);

    [Fact]
    public void Float16ComputesInFloat32() =>
        new RecurrentCase("RNN", seq: 3, batch: 2, input: 3, hidden: 4) { DataType = DataType.Float16 }.Check(rtol: 5e-3, atol: 2e-3);

    [Theory]
    [InlineData(7L)]
    [InlineData(1L)]
    public void OlderOpsets(long opset) =>
        new RecurrentCase("RNN", seq: 3, batch: 2, input: 3, hidden: 4) { Opset = opset, Direction = "bidirectional" }.Check();

    [Fact]
    public void HiddenSizeMismatchNamesTheInputs()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => Case().Tester().Attr("hidden_size", 3L).Run());
        Assert.Contains("input W has shape [1,4,3]", ex.Message);
        Assert.Contains("hidden_size=3", ex.Message);
    }

    [Fact]
    public void WrongInitialStateShapeNamesTheInput()
    {
        var bad = new OpenAutoGlm.TestKit.OpTester("RNN")
            .Input(Tensor.Create(new float[2 * 2 * 3], 2, 2, 3))
            .Input(Tensor.Create(new float[4 * 3], 1, 4, 3))
            .Input(Tensor.Create(new float[4 * 4], 1, 4, 4))
            .Input(null)
            .Input(null)
            .Input(Tensor.Create(new float[3 * 4], 1, 3, 4))
            .Attr("hidden_size", 4L);
        var ex = Assert.ThrowsAny<AutoGlmException>(() => bad.Run());
        Assert.Contains("input initial_h has shape [1,3,4], expected [1,2,4]", ex.Message);
    }

    [Fact]
    public void NegativeSequenceLengthIsRejected()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new RecurrentCase("RNN", seq: 2, batch: 2, input: 3, hidden: 4) { Lengths = [1, -2] }.Tester().Run());
        Assert.Contains("sequence_lens has value -2 for batch entry 1", ex.Message);
    }

    [Fact]
    public void UnknownActivationIsRejected()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => Case().Tester().Attribute(NodeAttribute.Of("activations", new[] { "Mish" })).Run());
        Assert.Contains("unknown function 'Mish'", ex.Message);
    }

    [Fact]
    public void BadLayoutIsRejected()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => Case().Tester().Attr("layout", 2L).Run());
        Assert.Contains("'layout' must be 0 or 1, got 2", ex.Message);
    }

    private static RecurrentCase Case() => new("RNN", seq: 2, batch: 2, input: 3, hidden: 4);
}
