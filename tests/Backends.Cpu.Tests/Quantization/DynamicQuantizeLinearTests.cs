using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.Quantization;

[OpTest("DynamicQuantizeLinear")]
public sealed class DynamicQuantizeLinearTests
{
    [Fact]
    public void OnnxMixedSigns() => QuantTestHelper.RunCase("DynamicQuantizeLinear", 11, OnnxQuantizationCases.Dynamicquantizelinear());

    [Fact]
    public void OnnxAllNegative() => QuantTestHelper.RunCase("DynamicQuantizeLinear", 11, OnnxQuantizationCases.DynamicquantizelinearMaxAdjusted());

    [Fact]
    public void OnnxAllPositive() => QuantTestHelper.RunCase("DynamicQuantizeLinear", 11, OnnxQuantizationCases.DynamicquantizelinearMinAdjusted());

    [Fact]
    public void AllZerosGiveZeroScale()
    {
        var r = new OpTester("DynamicQuantizeLinear", 11).Input(new Tensor<float>([4])).Outputs(3).Run();
        Assert.All(r[0].ToInt64Array(), v => Assert.Equal(0, v));
        Assert.Equal(0.0, r[1].ToDoubleArray()[0]);
    }

    [Fact]
    public void NonFloatInputIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("DynamicQuantizeLinear", 11).Input(new Tensor<double>([2])).Outputs(3).Run());
        Assert.Contains("float32", ex.Message);
    }
}
