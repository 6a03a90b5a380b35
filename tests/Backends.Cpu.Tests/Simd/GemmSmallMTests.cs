using OpenAutoGlm.Backends.Cpu.Simd;

namespace OpenAutoGlm.Backends.Cpu.Tests.Simd;

/// <summary>
/// The packed-B GEMV (<see cref="GemmSmallM.TryRunPacked"/>) against the scalar oracle on every vector ISA: 1 to 4
/// rows, N off the panel width, K over several K blocks and odd (the unrolled loop's tail), a row stride wider than K,
/// with and without a column bias, 1 and 2 threads; and its refusals (too many rows, a packing of other sizes).
/// </summary>
[Collection(GemmIsaCollection.Name)]
public sealed class GemmSmallMTests
{
    [Theory]
    [MemberData(nameof(GemmIsaCollection.SupportedIsas), MemberType = typeof(GemmIsaCollection))]
    public void PackedGemvMatchesTheOracle(string isa) => GemmIsaCollection.With(isa, () =>
    {
        var rng = new Random(21);
        foreach (var (n, k) in new[] { (1, 1), (37, 5), (70, 33), (1031, 777), (768, 256), (2304, 769), (600, 1200) })
        {
            var b = Random(rng, k * n);
            var packed = PackedGemmMatrix.PackB(b, n, false, k, n);
            if (packed is null)
            {
                Assert.Equal(nameof(GemmIsa.Scalar), isa);
                return;
            }

            for (int m = 1; m <= GemmSmallM.MaxRows; m++)
            {
                foreach (bool bias in new[] { false, true })
                {
                    int lda = k + (m % 3);
                    var a = Random(rng, m * lda);
                    var colBias = bias ? Random(rng, n) : [];
                    var expected = new float[m * n];
                    Gemm.Reference(false, false, m, n, k, 1f, a, lda, b, n, 0f, expected, n);
                    for (int i = 0; bias && i < m; i++)
                    {
                        for (int j = 0; j < n; j++)
                        {
                            expected[(i * n) + j] += colBias[j];
                        }
                    }

                    foreach (int threads in new[] { 1, 2 })
                    {
                        // C starts as NaN: every element must be overwritten.
                        var actual = Enumerable.Repeat(float.NaN, m * n).ToArray();
                        Assert.True(GemmSmallM.TryRunPacked(m, n, k, a, lda, packed, actual, n, colBias, threads));
                        float tol = 1e-5f * (k + 1);
                        for (int i = 0; i < expected.Length; i++)
                        {
                            Assert.True(
                                Math.Abs(expected[i] - actual[i]) <= tol * (1 + Math.Abs(expected[i])),
                                $"m {m} n {n} k {k} bias {bias} threads {threads} element {i}: expected {expected[i]}, got {actual[i]}");
                        }
                    }
                }
            }
        }
    });

    [Fact]
    public void RefusesWhatItDoesNotCover()
    {
        var rng = new Random(22);
        var b = Random(rng, 40 * 50);
        var packed = PackedGemmMatrix.PackB(b, 50, false, 40, 50);
        if (packed is null)
        {
            return;
        }

        var a = Random(rng, 5 * 40);
        var c = new float[5 * 50];
        Assert.False(GemmSmallM.TryRunPacked(GemmSmallM.MaxRows + 1, 50, 40, a, 40, packed, c, 50, default, 2));
        Assert.False(GemmSmallM.TryRunPacked(1, 49, 40, a, 40, packed, c, 50, default, 2));
        Assert.False(GemmSmallM.TryRunPacked(1, 50, 39, a, 40, packed, c, 50, default, 2));
        Assert.All(c, x => Assert.Equal(0f, x));
        Assert.Throws<ArgumentException>(() => GemmSmallM.TryRunPacked(2, 50, 40, a, 40, packed, new float[60], 50, default, 1));
        Assert.Throws<ArgumentException>(() => GemmSmallM.TryRunPacked(1, 50, 40, a, 40, packed, c, 50, new float[10], 1));
    }

    private static float[] Random(Random rng, int count)
    {
        var data = new float[count];
        for (int i = 0; i < count; i++)
        {
            data[i] = (float)(rng.NextDouble() - 0.5);
        }

        return data;
    }
}
