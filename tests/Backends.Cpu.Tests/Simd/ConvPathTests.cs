using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.Simd;

/// <summary>
/// The Conv fast paths (pre-packed weights with the bias in the GEMM epilogue, pointwise GEMM over all images, parallel
/// 2-D im2col, im2col in slabs of output rows, the depthwise kernel, the N-D fallback) against a naive direct convolution written here, with W both as
/// a constant initializer (packed at kernel creation) and as a run-time input (not packed), on every GEMM ISA.
/// </summary>
[Collection(GemmIsaCollection.Name)]
public sealed class ConvPathTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var isa in Enum.GetValues<GemmIsa>().Where(Gemm.IsSupported))
        {
            foreach (var c in new[] { "pointwise", "3x3pad1", "stride2dil2", "grouped", "depthwise", "depthwise-stride2", "1d", "slabs", "slabs-stride2" })
            {
                data.Add(isa.ToString(), c);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesDirectConvolution(string isa, string name) => GemmIsaCollection.With(isa, () =>
    {
        // n, c, h, w, m, kh, kw, stride, dilation, pads (top, left, bottom, right), group
        var (n, c, h, w, m, kh, kw, s, d, pads, group) = name switch
        {
            "pointwise" => (2, 19, 9, 11, 37, 1, 1, 1, 1, new[] { 0, 0, 0, 0 }, 1),
            "3x3pad1" => (1, 13, 14, 15, 29, 3, 3, 1, 1, new[] { 1, 1, 1, 1 }, 1),
            "stride2dil2" => (2, 5, 17, 13, 14, 3, 2, 2, 2, new[] { 2, 0, 1, 3 }, 1),
            "grouped" => (1, 12, 8, 9, 18, 3, 3, 1, 1, new[] { 1, 1, 1, 1 }, 3),
            "depthwise" => (2, 24, 10, 21, 24, 3, 3, 1, 1, new[] { 1, 1, 1, 1 }, 24),
            "depthwise-stride2" => (1, 16, 15, 15, 16, 5, 5, 2, 1, new[] { 2, 2, 2, 2 }, 16),
            "1d" => (2, 6, 1, 40, 10, 1, 5, 1, 1, new[] { 0, 2, 0, 1 }, 1),

            // Big enough im2col (> 512 KB) to be cut into slabs of output rows.
            "slabs" => (1, 8, 64, 61, 16, 3, 3, 1, 1, new[] { 1, 1, 1, 1 }, 1),
            "slabs-stride2" => (2, 8, 90, 93, 8, 5, 5, 2, 1, new[] { 2, 2, 1, 2 }, 2),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };

        bool oneD = name == "1d";
        var rng = new Random(name.Length * 31);
        var x = RandomArray(rng, n * c * h * w);
        var wt = RandomArray(rng, m * (c / group) * kh * kw);
        var bias = RandomArray(rng, m);
        var expected = Direct(x, wt, bias, n, c, h, w, m, kh, kw, s, d, pads, group, out int oh, out int ow);
        int[] xDims = oneD ? [n, c, w] : [n, c, h, w];
        int[] wDims = oneD ? [m, c / group, kw] : [m, c / group, kh, kw];
        int[] yDims = oneD ? [n, m, ow] : [n, m, oh, ow];
        long[] strides = oneD ? [s] : [s, s];
        long[] dilations = oneD ? [d] : [d, d];
        long[] onnxPads = oneD ? [pads[1], pads[3]] : [pads[0], pads[1], pads[2], pads[3]];
        foreach (bool constantWeights in new[] { true, false })
        {
            var tester = new OpTester("Conv").Input(Tensor.Create(x, xDims));
            tester = constantWeights ? tester.ConstantInput(Tensor.Create(wt, wDims)) : tester.Input(Tensor.Create(wt, wDims));
            var y = tester.ConstantInput(Tensor.Create(bias, m))
                .Attr("strides", strides).Attr("dilations", dilations).Attr("pads", onnxPads).Attr("group", (long)group)
                .RunSingle();
            TensorAssert.Close(expected, yDims, y, 1e-4, 1e-4);
        }
    });

    private static float[] Direct(
        float[] x, float[] wt, float[] bias, int n, int c, int h, int w, int m, int kh, int kw, int s, int d, int[] pads, int group, out int oh, out int ow)
    {
        oh = ((h + pads[0] + pads[2] - (d * (kh - 1)) - 1) / s) + 1;
        ow = ((w + pads[1] + pads[3] - (d * (kw - 1)) - 1) / s) + 1;
        int cg = c / group, mg = m / group;
        var y = new float[n * m * oh * ow];
        for (int img = 0; img < n; img++)
        {
            for (int oc = 0; oc < m; oc++)
            {
                int g = oc / mg;
                for (int oy = 0; oy < oh; oy++)
                {
                    for (int ox = 0; ox < ow; ox++)
                    {
                        double sum = bias[oc];
                        for (int ic = 0; ic < cg; ic++)
                        {
                            for (int ky = 0; ky < kh; ky++)
                            {
                                for (int kx = 0; kx < kw; kx++)
                                {
                                    int iy = (oy * s) - pads[0] + (ky * d);
                                    int ix = (ox * s) - pads[1] + (kx * d);
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < w)
                                    {
                                        sum += x[((((img * c) + (g * cg) + ic) * h) + iy) * w + ix] * wt[((((oc * cg) + ic) * kh) + ky) * kw + kx];
                                    }
                                }
                            }
                        }

                        y[((((img * m) + oc) * oh) + oy) * ow + ox] = (float)sum;
                    }
                }
            }
        }

        return y;
    }

    private static float[] RandomArray(Random rng, int count) => Enumerable.Range(0, count).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
}
