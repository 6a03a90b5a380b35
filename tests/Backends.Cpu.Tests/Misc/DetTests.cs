using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.Misc;

[OpTest("Det")]
public sealed class DetTests
{
    [Fact]
    public void TwoByTwoBatch()
    {
        var x = Tensor.Create(new[] { 1f, 2f, 3f, 4f, 1f, 2f, 2f, 1f, 1f, 3f, 3f, 1f }, 3, 2, 2);
        TensorAssert.Close(new[] { -2f, -3f, -8f }, [3], new OpTester("Det", 11).Input(x).RunSingle());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public void MatchesCofactorExpansion(int n)
    {
        var rng = new Random(n);
        var values = Enumerable.Range(0, n * n).Select(_ => rng.NextDouble() * 4 - 2).ToArray();
        var result = new OpTester("Det", 11).Input(Tensor.Create(values, n, n)).RunSingle();
        Assert.Equal(0, result.Rank);
        Assert.Equal(Cofactor(values, n), result.ToDoubleArray()[0], 1e-9);
    }

    [Fact]
    public void SingularMatrixIsZero()
    {
        var result = new OpTester("Det", 11).Input(Tensor.Create(new[] { 1.0, 2.0, 2.0, 4.0 }, 2, 2)).RunSingle();
        Assert.Equal(0.0, result.ToDoubleArray()[0]);
    }

    [Fact]
    public void NonSquareIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("Det", 11).Input(new Tensor<float>([2, 3])).RunSingle());
        Assert.Contains("[2,3]", ex.Message);
    }

    // Oracle: Laplace expansion along the first row.
    private static double Cofactor(double[] a, int n)
    {
        if (n == 1)
        {
            return a[0];
        }

        double det = 0;
        for (int c = 0; c < n; c++)
        {
            var minor = new List<double>();
            for (int r = 1; r < n; r++)
            {
                for (int k = 0; k < n; k++)
                {
                    if (k != c)
                    {
                        minor.Add(a[(r * n) + k]);
                    }
                }
            }

            det += (c % 2 == 0 ? 1 : -1) * a[c] * Cofactor(minor.ToArray(), n - 1);
        }

        return det;
    }
}
