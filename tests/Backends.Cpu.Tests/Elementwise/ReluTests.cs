using OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.Elementwise;

[OpTest("Relu")]
public sealed class ReluTests
{
    [Fact]
    public void ClampsNegativesToZero()
    {
        var x = Tensor.Create(new float[] { -2, -0.5f, 0, 0.5f, 2 }, 5);
        TensorAssert.Close([0, 0, 0, 0.5f, 2], [5], new OpTester("Relu").Input(x).RunSingle());
    }

    [Fact]
    public void VectorPathsMatchScalarOracleForEveryLength()
    {
        var rng = new Random(3);
        for (int n = 0; n <= 256; n++)
        {
            var x = Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 4 - 2)).ToArray();
            var y = new float[n];
            UnaryDriver.Run(default(Relu.Op), x, y);
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(default(Relu.Op).Invoke(x[i]), y[i]);
            }
        }
    }

    [Fact]
    public void Float16ComputesThroughFloat()
    {
        var x = Tensor.Create(new[] { (Half)(-1f), (Half)1.5f }, 2);
        var y = new OpTester("Relu").Input(x).RunSingle();
        Assert.Equal(DataType.Float16, y.DataType);
        Assert.Equal(new double[] { 0, 1.5 }, y.ToDoubleArray());
    }

    [Fact]
    public void UnsupportedDtypeIsNamed()
    {
        var x = Tensor.Create(new[] { "a" }.Select(_ => true).ToArray(), 1);
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("Relu").Input(x).RunSingle());
        Assert.Contains("bool", ex.Message);
    }
}
