using OpenAutoGlm.Backends.Cpu;
using OpenAutoGlm.Core;
using OpenAutoGlm.Optimizer;
using OpenAutoGlm.Runtime;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.AutoGlm;

/// <summary>
/// The Attention kernel's paths (heads in parallel or inline, dot-product scores for few queries vs the SGEMM,
/// K/V read in place vs copied into present_* or scratch, the streaming decode path for up to 4 queries with
/// present_* requested, contiguous / broadcast masks, causal masking, fully masked rows)
/// against a scalar double-precision oracle, on 1 and 2 intra-op threads.
/// </summary>
public sealed class AttentionPathTests
{
    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (string c in new[] { "bert", "bert-big", "decode", "decode-no-present", "causal-past-scratch", "head-major-broadcast-mask", "masked-row", "decode-multi-causal", "prompt-present" })
        {
            data.Add(c, 1);
            data.Add(c, 2);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesScalarOracle(string name, int threads)
    {
        // b, s, l, p, h, d, dv, packed, causal, mask dims (null: none), present requested
        var (b, s, l, p, h, d, dv, packed, causal, maskDims, present) = name switch
        {
            "bert" => (2, 9, 9, 0, 3, 8, 8, true, false, new[] { 2, 1, 1, 9 }, false),
            "bert-big" => (2, 40, 40, 0, 4, 32, 32, true, false, new[] { 2, 1, 1, 40 }, false),
            "decode" => (1, 1, 1, 127, 12, 64, 64, true, false, new[] { 1, 1, 1, 128 }, true),
            "decode-no-present" => (2, 1, 1, 30, 4, 16, 8, true, false, null, false),
            "causal-past-scratch" => (2, 6, 6, 3, 2, 5, 7, true, true, null, false),
            "head-major-broadcast-mask" => (2, 7, 5, 2, 3, 6, 4, false, false, new[] { 1, 3, 7, 1 }, true),
            "masked-row" => (1, 6, 6, 0, 2, 8, 8, true, false, new[] { 1, 1, 6, 6 }, false),
            "decode-multi-causal" => (2, 3, 3, 5, 2, 16, 32, true, true, null, true),
            "prompt-present" => (1, 2, 2, 0, 3, 16, 16, false, false, new[] { 1, 1, 2, 2 }, true),
            _ => throw new ArgumentException(name),
        };
        int t = p + l;
        var q = Unfused.Random(1, packed ? [b, s, h * d] : [b, h, s, d]);
        var k = Unfused.Random(2, packed ? [b, l, h * d] : [b, h, l, d]);
        var v = Unfused.Random(3, packed ? [b, l, h * dv] : [b, h, l, dv]);
        var pastK = p > 0 ? Unfused.Random(4, b, h, p, d) : null;
        var pastV = p > 0 ? Unfused.Random(5, b, h, p, dv) : null;
        Tensor<float>? mask = null;
        if (maskDims is not null)
        {
            mask = Unfused.Random(6, maskDims);
            var ms = mask.Span;
            // Large negative entries only where keys differ (a -10000 shared by a whole row would just cost float precision).
            for (int i = 0; maskDims[3] > 1 && i < ms.Length; i++)
            {
                ms[i] = i % 5 == 1 ? -10000f : ms[i];
            }

            if (name == "masked-row")
            {
                // Query row 2 sees no key at all: its output is zeros.
                ms.Slice(2 * t, t).Fill(float.NegativeInfinity);
            }
        }

        var tester = new OpTester("Attention", 1, "ai.autoglm").Input(q).Input(k).Input(v).Input(mask).Input(pastK).Input(pastV)
            .Attr("num_heads", (long)h).Attr("causal", causal ? 1L : 0L).Outputs(present ? 3 : 1);
        var session = InferenceSession.Create(tester.BuildModel(), new SessionOptions
        {
            Providers = [new CpuExecutionProvider()],
            OptimizationLevel = OptimizationLevel.None,
            IntraOpThreads = threads,
        });
        var feeds = new Dictionary<string, DataValue> { ["in0"] = q, ["in1"] = k, ["in2"] = v };
        if (mask is not null)
        {
            feeds["in3"] = mask;
        }

        if (pastK is not null && pastV is not null)
        {
            feeds["in4"] = pastK;
            feeds["in5"] = pastV;
        }

        var results = session.Run(feeds);

        // Oracle over (b, h): K' = past ++ K, scores in double, softmax (all -inf: zeros), Y = A V'.
        float Q(int bi, int hi, int i, int e) => packed ? q[(((bi * s) + i) * h * d) + (hi * d) + e] : q[(((bi * h) + hi) * s * d) + (i * d) + e];
        float K(int bi, int hi, int j, int e) => j < p ? pastK![(((bi * h) + hi) * p * d) + (j * d) + e]
            : packed ? k[(((bi * l) + j - p) * h * d) + (hi * d) + e] : k[(((bi * h) + hi) * l * d) + ((j - p) * d) + e];
        float V(int bi, int hi, int j, int e) => j < p ? pastV![(((bi * h) + hi) * p * dv) + (j * dv) + e]
            : packed ? v[(((bi * l) + j - p) * h * dv) + (hi * dv) + e] : v[(((bi * h) + hi) * l * dv) + ((j - p) * dv) + e];
        float M(int bi, int hi, int i, int j)
        {
            if (mask is null)
            {
                return 0f;
            }

            int[] idx = [bi, hi, i, j];
            int offset = 0;
            for (int a = 0; a < 4; a++)
            {
                offset = (offset * maskDims![a]) + (maskDims[a] == 1 ? 0 : idx[a]);
            }

            return mask[offset];
        }

        var expected = new float[b * h * s * dv];
        var expectedK = new float[b * h * t * d];
        var expectedV = new float[b * h * t * dv];
        double scale = 1 / Math.Sqrt(d);
        for (int bi = 0; bi < b; bi++)
        {
            for (int hi = 0; hi < h; hi++)
            {
                for (int j = 0; j < t; j++)
                {
                    for (int e = 0; e < d; e++)
                    {
                        expectedK[(((bi * h) + hi) * t * d) + (j * d) + e] = K(bi, hi, j, e);
                    }

                    for (int e = 0; e < dv; e++)
                    {
                        expectedV[(((bi * h) + hi) * t * dv) + (j * dv) + e] = V(bi, hi, j, e);
                    }
                }

                for (int i = 0; i < s; i++)
                {
                    var w = new double[t];
                    double max = double.NegativeInfinity;
                    for (int j = 0; j < t; j++)
                    {
                        double dot = 0;
                        for (int e = 0; e < d; e++)
                        {
                            dot += (double)Q(bi, hi, i, e) * K(bi, hi, j, e);
                        }

                        w[j] = causal && j > i + t - s ? double.NegativeInfinity : (dot * scale) + M(bi, hi, i, j);
                        max = Math.Max(max, w[j]);
                    }

                    double sum = 0;
                    for (int j = 0; j < t; j++)
                    {
                        w[j] = double.IsNegativeInfinity(max) ? 0 : Math.Exp(w[j] - max);
                        sum += w[j];
                    }

                    for (int e = 0; e < dv; e++)
                    {
                        double acc = 0;
                        for (int j = 0; j < t; j++)
                        {
                            acc += sum == 0 ? 0 : w[j] / sum * V(bi, hi, j, e);
                        }

                        int o = packed ? (((bi * s) + i) * h * dv) + (hi * dv) + e : (((bi * h) + hi) * s * dv) + (i * dv) + e;
                        expected[o] = (float)acc;
                    }
                }
            }
        }

        TensorAssert.Close(expected, packed ? [b, s, h * dv] : [b, h, s, dv], (Tensor)results["out0"], 1e-5, 1e-5);
        if (name == "masked-row")
        {
            Assert.All(((Tensor<float>)results["out0"]).Span.Slice(2 * h * dv, h * dv).ToArray(), x => Assert.Equal(0f, x));
        }

        if (present)
        {
            TensorAssert.Close(expectedK, [b, h, t, d], (Tensor)results["out1"], 0, 0);
            TensorAssert.Close(expectedV, [b, h, t, dv], (Tensor)results["out2"], 0, 0);
        }
    }

    /// <summary>The score-row softmax against double precision: every length to 70 (vector tails), masked entries, big spreads.</summary>
    [Fact]
    public void SoftmaxRowMatchesDoublePrecision()
    {
        var rng = new Random(31);
        for (int n = 1; n <= 70; n++)
        {
            var row = new float[n];
            for (int i = 0; i < n; i++)
            {
                row[i] = (i % 7) switch
                {
                    3 => float.NegativeInfinity,
                    5 => -10000f + (float)rng.NextDouble(),
                    6 => (float)(rng.NextDouble() * 200) - 100,
                    _ => (float)(rng.NextDouble() * 20) - 10,
                };
            }

            double max = row.Max();
            double sum = row.Sum(x => Math.Exp(x - max));
            var expected = row.Select(x => (float)(Math.Exp(x - max) / sum)).ToArray();
            OpenAutoGlm.Backends.Cpu.Kernels.AutoGlm.AttentionSoftmax.Run(row);
            for (int i = 0; i < n; i++)
            {
                Assert.True(Math.Abs(expected[i] - row[i]) <= 2e-6 * (1 + expected[i]) + 1e-30, $"n {n} element {i}: expected {expected[i]}, got {row[i]}");
            }
        }

        var masked = new[] { float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity };
        OpenAutoGlm.Backends.Cpu.Kernels.AutoGlm.AttentionSoftmax.Run(masked);
        Assert.All(masked, x => Assert.Equal(0f, x));
    }

    /// <summary>
    /// The softmax of row + mask with the mask added in the maximum pass (512-bit path from 16 floats): every length to
    /// 70 against double precision; a mask of -inf everywhere gives zeros, a NaN in the mask NaN everywhere.
    /// </summary>
    [Fact]
    public void MaskedSoftmaxRowMatchesDoublePrecision()
    {
        var rng = new Random(37);
        for (int n = 1; n <= 70; n++)
        {
            var row = Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 20) - 10).ToArray();
            var mask = Enumerable.Range(0, n).Select(i => (i % 5) switch { 2 => -10000f, 4 => float.NegativeInfinity, _ => (float)rng.NextDouble() }).ToArray();
            var sums = row.Zip(mask, (x, m) => (double)x + m).ToArray();
            double max = sums.Max();
            double total = sums.Sum(x => Math.Exp(x - max));
            var expected = sums.Select(x => (float)(Math.Exp(x - max) / total)).ToArray();
            OpenAutoGlm.Backends.Cpu.Kernels.AutoGlm.AttentionSoftmax.Run(row, mask);
            for (int i = 0; i < n; i++)
            {
                Assert.True(Math.Abs(expected[i] - row[i]) <= 2e-6 * (1 + expected[i]) + 1e-30, $"n {n} element {i}: expected {expected[i]}, got {row[i]}");
            }
        }

        var allMasked = Enumerable.Repeat(1f, 33).ToArray();
        OpenAutoGlm.Backends.Cpu.Kernels.AutoGlm.AttentionSoftmax.Run(allMasked, Enumerable.Repeat(float.NegativeInfinity, 33).ToArray());
        Assert.All(allMasked, x => Assert.Equal(0f, x));
        var nanMask = Enumerable.Range(0, 40).Select(i => i == 21 ? float.NaN : 0f).ToArray();
        var values = Enumerable.Range(0, 40).Select(i => (float)i).ToArray();
        OpenAutoGlm.Backends.Cpu.Kernels.AutoGlm.AttentionSoftmax.Run(values, nanMask);
        Assert.All(values, x => Assert.True(float.IsNaN(x)));
    }

    [Fact]
    public void SoftmaxRowOfAllMinusInfinityIsZerosAndANaNSpreads()
    {
        var masked = new[] { float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity };
        OpenAutoGlm.Backends.Cpu.Kernels.AutoGlm.AttentionSoftmax.Run(masked);
        Assert.All(masked, x => Assert.Equal(0f, x));
        var nan = Enumerable.Range(0, 40).Select(i => i == 17 ? float.NaN : (float)i).ToArray();
        OpenAutoGlm.Backends.Cpu.Kernels.AutoGlm.AttentionSoftmax.Run(nan);
        Assert.All(nan, x => Assert.True(float.IsNaN(x)));
    }
}
