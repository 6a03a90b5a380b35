using OpenAutoGlm.Backends.Cpu.Simd;

namespace OpenAutoGlm.Backends.Cpu.Tests.Simd;

/// <summary>
/// The packed SGEMM against its scalar oracle (<see cref="Gemm.Reference"/>) on every ISA the machine has: every M and
/// N in 0..70 (K cycling through 0..70), transposes, alpha/beta (beta = 0 must ignore NaN in C), leading dimensions
/// wider than the matrix, 1 and 2 threads, shapes past every block size, pre-packed operands, biases and batches.
/// Run also under DOTNET_EnableAVX512F=0, DOTNET_EnableAVX2=0 and DOTNET_EnableHWIntrinsic=0 (docs/performance.md).
/// </summary>
[Collection(GemmIsaCollection.Name)]
public sealed class GemmTests
{
    [Theory]
    [MemberData(nameof(GemmIsaCollection.SupportedIsas), MemberType = typeof(GemmIsaCollection))]
    public void EverySmallShapeMatchesTheOracle(string isa) => GemmIsaCollection.With(isa, () =>
    {
        var rng = new Random(11);
        for (int m = 0; m <= 70; m++)
        {
            for (int n = 0; n <= 70; n++)
            {
                int k = ((m * 7) + (n * 3)) % 71;
                int variant = (m + n) % 4;
                float beta = (m % 3) switch { 0 => 0f, 1 => 1f, _ => -0.5f };
                Check(rng, m, n, k, transA: (variant & 1) != 0, transB: (variant & 2) != 0, alpha: n % 2 == 0 ? 1f : 0.75f, beta, threads: 1 + (n % 2), pad: m % 5);
            }
        }
    });

    [Theory]
    [MemberData(nameof(GemmIsaCollection.SupportedIsas), MemberType = typeof(GemmIsaCollection))]
    public void EveryKUpToSeventyMatchesTheOracle(string isa) => GemmIsaCollection.With(isa, () =>
    {
        var rng = new Random(12);
        foreach (int m in new[] { 1, 5, 13, 25 })
        {
            for (int k = 0; k <= 70; k++)
            {
                Check(rng, m, 37, k, transA: k % 2 == 1, transB: k % 3 == 1, alpha: 1.5f, beta: 0.25f, threads: 2, pad: 1);
            }
        }
    });

    [Theory]
    [MemberData(nameof(GemmIsaCollection.SupportedIsas), MemberType = typeof(GemmIsaCollection))]
    public void LargeAndOddShapesCrossEveryBlockBoundary(string isa) => GemmIsaCollection.With(isa, () =>
    {
        var rng = new Random(13);

        // K > KC (several K blocks), M > MC, N > NC, and primes that leave every tail.
        foreach (var (m, n, k) in new[] { (257, 301, 519), (250, 1100, 300), (3, 3072, 300), (1, 1031, 777), (97, 7, 1000) })
        {
            foreach (int threads in new[] { 1, 2 })
            {
                Check(rng, m, n, k, transA: false, transB: false, alpha: 1f, beta: 0f, threads, pad: 0);
                Check(rng, m, n, k, transA: true, transB: true, alpha: 0.5f, beta: 2f, threads, pad: 3);
            }
        }
    });

    [Theory]
    [MemberData(nameof(GemmIsaCollection.SupportedIsas), MemberType = typeof(GemmIsaCollection))]
    public void PrePackedOperandsAndBiasesMatchTheOracle(string isa) => GemmIsaCollection.With(isa, () =>
    {
        var rng = new Random(14);
        foreach (var (m, n, k) in new[] { (1, 70, 33), (4, 100, 260), (13, 17, 300), (64, 130, 520), (300, 40, 9) })
        {
            foreach (bool trans in new[] { false, true })
            {
                var a = Random(rng, m * k);
                var b = Random(rng, k * n);
                var rowBias = Random(rng, m);
                var colBias = Random(rng, n);
                int lda = trans ? m : k, ldb = trans ? k : n;
                var packedA = PackedGemmMatrix.PackA(a, lda, trans, m, k);
                var packedB = PackedGemmMatrix.PackB(b, ldb, trans, k, n);
                Assert.Equal(isa == nameof(GemmIsa.Scalar), packedA is null);

                var expected = Random(rng, m * n);
                var actual = (float[])expected.Clone();
                Gemm.Reference(trans, trans, m, n, k, 0.5f, a, lda, b, ldb, 1f, expected, n);
                for (int i = 0; i < m; i++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        expected[(i * n) + j] += rowBias[i] + colBias[j];
                    }
                }

                // A and B are passed empty when packed: the kernel must not touch them. Also one side packed at a time
                // (a few rows with only A packed must not take the small-M path, which reads A in place).
                var onlyA = (float[])actual.Clone();
                var onlyB = (float[])actual.Clone();
                Gemm.Sgemm(
                    trans, trans, m, n, k, 0.5f, packedA is null ? a : [], lda, packedB is null ? b : [], ldb, 1f, actual, n,
                    threads: 2, packedA, packedB, rowBias, colBias);
                AssertClose(expected, actual, k);
                Gemm.Sgemm(trans, trans, m, n, k, 0.5f, packedA is null ? a : [], lda, b, ldb, 1f, onlyA, n, threads: 2, packedA, null, rowBias, colBias);
                AssertClose(expected, onlyA, k);
                Gemm.Sgemm(trans, trans, m, n, k, 0.5f, a, lda, packedB is null ? b : [], ldb, 1f, onlyB, n, threads: 2, null, packedB, rowBias, colBias);
                AssertClose(expected, onlyB, k);
            }
        }
    });

    [Theory]
    [MemberData(nameof(GemmIsaCollection.SupportedIsas), MemberType = typeof(GemmIsaCollection))]
    public void BatchedCallsWithBroadcastOperandsMatchPerBatchOracle(string isa) => GemmIsaCollection.With(isa, () =>
    {
        var rng = new Random(15);
        foreach (var (batches, m, n, k) in new[] { (3, 2, 50, 40), (4, 30, 20, 70), (2, 100, 300, 40) })
        {
            var a = Random(rng, batches * m * k);
            var b = Random(rng, 2 * k * n);
            long[] aOff = Enumerable.Range(0, batches).Select(t => (long)t * m * k).ToArray();
            long[] bOff = Enumerable.Range(0, batches).Select(t => (long)(t % 2) * k * n).ToArray();
            var expected = new float[batches * m * n];
            var actual = Enumerable.Repeat(float.NaN, batches * m * n).ToArray();
            for (int t = 0; t < batches; t++)
            {
                Gemm.Reference(false, false, m, n, k, 1f, a.AsSpan((int)aOff[t]), k, b.AsSpan((int)bOff[t]), n, 0f, expected.AsSpan(t * m * n), n);
            }

            Gemm.SgemmBatched(batches, false, false, m, n, k, 1f, a, k, aOff, b, n, bOff, 0f, actual, n, (long)m * n, threads: 2);
            AssertClose(expected, actual, k);
        }
    });

    /// <summary>
    /// Residual, clamp and post-op after the product (fused on the last K block, or applied after the few-row path),
    /// with B read in place (direct panels plus a packed tail) or packed, batched, 1 and 2 threads, K over one block.
    /// </summary>
    [Theory]
    [MemberData(nameof(GemmIsaCollection.SupportedIsas), MemberType = typeof(GemmIsaCollection))]
    public void FinalOpsMatchTheOracle(string isa) => GemmIsaCollection.With(isa, () =>
    {
        var rng = new Random(17);
        var post = new ScaleShift();
        foreach (var (batches, m, n, k) in new[] { (1, 3, 70, 20), (2, 13, 49, 16), (1, 25, 96, 300), (2, 40, 33, 7), (1, 12, 64, 600) })
        {
            foreach (bool direct in new[] { false, true })
            {
                int ldc = n + 3;
                var a = Random(rng, batches * m * k);
                var b = Random(rng, k * (n + 5));
                var bias = Random(rng, m);
                long stride = (long)m * ldc;
                var residual = Random(rng, (int)(batches * stride));
                long[] aOff = Enumerable.Range(0, batches).Select(t => (long)t * m * k).ToArray();
                long[] bOff = new long[batches];
                var expected = Enumerable.Repeat(float.NaN, (int)(batches * stride)).ToArray();
                var actual = (float[])expected.Clone();
                for (int t = 0; t < batches; t++)
                {
                    Gemm.Reference(false, false, m, n, k, 1f, a.AsSpan((int)aOff[t]), k, b, n + 5, 0f, expected.AsSpan((int)(t * stride)), ldc);
                    for (int i = 0; i < m; i++)
                    {
                        for (int j = 0; j < n; j++)
                        {
                            long at = (t * stride) + (i * ldc) + j;
                            float v = Math.Clamp(expected[at] + bias[i] + residual[at], -0.3f, 0.4f);
                            expected[at] = (v * 2f) + 1f;
                        }
                    }
                }

                foreach (int threads in new[] { 1, 2 })
                {
                    Array.Fill(actual, float.NaN);
                    Gemm.SgemmBatched(
                        batches, false, false, m, n, k, 1f, a, k, aOff, b, n + 5, bOff, 0f, actual, ldc, stride, threads, rowBias: bias,
                        final: new GemmFinalOps { Residual = residual, Clamp = GemmClamp.Between(-0.3f, 0.4f), Post = post, DirectB = direct });
                    AssertClose(expected, actual, k, $"batches={batches} M={m} N={n} K={k} direct={direct} threads={threads}");
                }
            }
        }
    });

    [Theory]
    [MemberData(nameof(GemmIsaCollection.SupportedIsas), MemberType = typeof(GemmIsaCollection))]
    public void ReadingAInPlaceAndPackingItMatchTheOracle(string isa) => GemmIsaCollection.With(isa, () =>
    {
        var rng = new Random(15);
        bool saved = GemmDriver.DirectA;
        try
        {
            foreach (bool direct in new[] { true, false })
            {
                GemmDriver.DirectA = direct;

                // Every micro-tile row count, K past one block; row strides that are read in place and ones that are
                // packed anyway (multiples of 512 floats), 1 and 2 threads.
                foreach (var (m, n, k, pad) in new[] { (1, 40, 9, 0), (11, 64, 300, 3), (12, 33, 257, 0), (25, 100, 70, 1), (130, 70, 512, 0), (37, 64, 200, 312) })
                {
                    Check(rng, m, n, k, transA: false, transB: false, alpha: 1f, beta: 0f, threads: 1, pad);
                    Check(rng, m, n, k, transA: false, transB: true, alpha: 0.5f, beta: 1f, threads: 2, pad);
                }
            }
        }
        finally
        {
            GemmDriver.DirectA = saved;
        }
    });

    [Theory]
    [InlineData(64, true)]
    [InlineData(768, true)]
    [InlineData(2304, true)]
    [InlineData(512, false)]
    [InlineData(1024, false)]
    [InlineData(3072, false)]
    public void RowStridesOfWholeTwoKilobyteMultiplesArePacked(int lda, bool inPlace) =>
        Assert.Equal(inPlace, GemmDriver.DirectAFits(lda));

    [Fact]
    public void ResidualTooSmallIsRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => Gemm.Sgemm(
            false, false, 3, 4, 5, 1f, new float[15], 5, new float[20], 4, 0f, new float[12], 4, final: new GemmFinalOps { Residual = new float[11] }));
        Assert.Contains("residual", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PackedOperandOfAnotherShapeIsIgnored()
    {
        var rng = new Random(16);
        var a = Random(rng, 8 * 9);
        var b = Random(rng, 9 * 10);
        var wrong = PackedGemmMatrix.PackB(Random(rng, 9 * 11), 11, false, 9, 11);
        var expected = new float[80];
        var actual = new float[80];
        Gemm.Reference(false, false, 8, 10, 9, 1f, a, 9, b, 10, 0f, expected, 10);
        Gemm.Sgemm(false, false, 8, 10, 9, 1f, a, 9, b, 10, 0f, actual, 10, packedB: wrong);
        AssertClose(expected, actual, 9);
    }

    [Fact]
    public void OperandsTooSmallForTheShapeAreRejected()
    {
        var c = new float[12];
        var ex = Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, false, 3, 4, 5, 1f, new float[14], 5, new float[20], 4, 0f, c, 4));
        Assert.Contains("operand A", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, true, 3, 4, 5, 1f, new float[15], 5, new float[19], 5, 0f, c, 4));
        Assert.Contains("operand B", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, false, 3, 4, 5, 1f, new float[15], 5, new float[20], 4, 0f, new float[11], 4));
        Assert.Contains("output", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, false, 3, 4, 5, 1f, new float[15], 5, new float[20], 4, 0f, c, 4, rowBias: new float[2]));
    }

    /// <summary>C = alpha op(A) op(B) + beta C with A, B, C rows <paramref name="pad"/> elements wider than the matrix.</summary>
    private static void Check(Random rng, int m, int n, int k, bool transA, bool transB, float alpha, float beta, int threads, int pad)
    {
        int lda = (transA ? m : k) + pad, ldb = (transB ? k : n) + pad, ldc = n + pad;
        var a = Random(rng, ((transA ? k : m) * lda) + 1);
        var b = Random(rng, ((transB ? n : k) * ldb) + 1);
        var c0 = Random(rng, (m * ldc) + 1);
        if (beta == 0)
        {
            Array.Fill(c0, float.NaN);
        }

        var expected = (float[])c0.Clone();
        var actual = (float[])c0.Clone();
        Gemm.Reference(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, expected, ldc);
        Gemm.Sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, actual, ldc, threads);
        for (int i = 0; i < m; i++)
        {
            for (int j = n; j < ldc && (i * ldc) + j < actual.Length; j++)
            {
                Assert.True(c0[(i * ldc) + j].Equals(actual[(i * ldc) + j]), $"padding C[{i},{j}] was written (M={m} N={n} K={k})");
            }
        }

        AssertClose(expected, actual, k, $"M={m} N={n} K={k} transA={transA} transB={transB} alpha={alpha} beta={beta} threads={threads}");
    }

    private static void AssertClose(float[] expected, float[] actual, int k, string what = "")
    {
        float tol = 1e-5f * (k + 1);
        for (int i = 0; i < expected.Length; i++)
        {
            bool ok = float.IsNaN(expected[i]) ? float.IsNaN(actual[i]) : Math.Abs(expected[i] - actual[i]) <= tol * (1 + Math.Abs(expected[i]));
            Assert.True(ok, $"element {i}: expected {expected[i]}, got {actual[i]} {what}");
        }
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

    /// <summary>y = 2 y + 1: a post-op whose result shows it ran exactly once per element.</summary>
    private sealed class ScaleShift : GemmPostOp
    {
        public override void Apply(Span<float> values)
        {
            foreach (ref float v in values)
            {
                v = (v * 2f) + 1f;
            }
        }
    }
}
