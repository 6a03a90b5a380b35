using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.Quantization;

[OpTest("ConvInteger")]
public sealed class ConvIntegerTests
{
    [Fact]
    public void OnnxBasic() => QuantTestHelper.RunCase("ConvInteger", 10, OnnxQuantizationCases.BasicConvinteger());

    [Fact]
    public void OnnxWithPadding() => QuantTestHelper.RunCase("ConvInteger", 10, OnnxQuantizationCases.ConvintegerWithPadding(), NodeAttribute.Of("pads", new[] { 1L, 1L, 1L, 1L }));

    [Fact]
    public void OnnxWithoutPadding() => QuantTestHelper.RunCase("ConvInteger", 10, OnnxQuantizationCases.ConvintegerWithoutPadding());

    [Theory]
    [InlineData("NOTSET", 1, 1, 1)]
    [InlineData("SAME_UPPER", 2, 1, 1)]
    [InlineData("SAME_LOWER", 1, 2, 2)]
    [InlineData("VALID", 2, 2, 1)]
    public void GroupedStridedDilatedMatchesOracle(string autoPad, int stride, int dilation, int group)
    {
        var x = RandomUInt8([1, 2, 6, 5], 3);
        var w = RandomUInt8([2, 2 / group, 2, 3], 4);
        var tester = new OpTester("ConvInteger", 10).Input(x).Input(w).Input(Tensor.Scalar((byte)7)).Input(Tensor.Create(new byte[] { 1, 2 }, 2))
            .Attr("strides", new[] { (long)stride, stride }).Attr("dilations", new[] { (long)dilation, dilation }).Attr("group", (long)group).Attr("auto_pad", autoPad);
        if (autoPad == "NOTSET")
        {
            tester.Attr("pads", new[] { 1L, 0L, 0L, 2L });
        }

        var result = tester.RunSingle();
        Assert.Equal(DataType.Int32, result.DataType);
        var expected = Oracle(x, w, 7, [1, 2], stride, dilation, group, autoPad, result.Dims[2], result.Dims[3]);
        Assert.Equal(expected, result.ToInt64Array());
    }

    [Fact]
    public void GroupNotDividingChannelsIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("ConvInteger", 10)
            .Input(new Tensor<byte>([1, 3, 4, 4])).Input(new Tensor<byte>([2, 3, 1, 1])).Attr("group", 2L).RunSingle());
        Assert.Contains("group 2", ex.Message);
    }

    private static Tensor<byte> RandomUInt8(int[] dims, int seed)
    {
        var rng = new Random(seed);
        var t = new Tensor<byte>(dims);
        for (int i = 0; i < t.Length; i++)
        {
            t[i] = (byte)rng.Next(0, 256);
        }

        return t;
    }

    // Oracle: direct 2-D convolution; SAME pads derived independently from the spec's formula.
    private static long[] Oracle(Tensor<byte> x, Tensor<byte> w, int xZp, int[] wZp, int stride, int dilation, int group, string autoPad, int oh, int ow)
    {
        int c = x.Dims[1], h = x.Dims[2], wd = x.Dims[3];
        int m = w.Dims[0], kh = w.Dims[2], kw = w.Dims[3];
        int padTop = 1, padLeft = 0;
        if (autoPad is "SAME_UPPER" or "SAME_LOWER" or "VALID")
        {
            int totalH = autoPad == "VALID" ? 0 : Math.Max(0, ((oh - 1) * stride) + ((kh - 1) * dilation) + 1 - h);
            int totalW = autoPad == "VALID" ? 0 : Math.Max(0, ((ow - 1) * stride) + ((kw - 1) * dilation) + 1 - wd);
            padTop = autoPad == "SAME_LOWER" ? (totalH + 1) / 2 : totalH / 2;
            padLeft = autoPad == "SAME_LOWER" ? (totalW + 1) / 2 : totalW / 2;
        }

        var y = new long[m * oh * ow];
        int cg = c / group;
        for (int oc = 0; oc < m; oc++)
        {
            int g = oc / (m / group);
            for (int i = 0; i < oh; i++)
            {
                for (int j = 0; j < ow; j++)
                {
                    long acc = 0;
                    for (int ci = 0; ci < cg; ci++)
                    {
                        for (int a = 0; a < kh; a++)
                        {
                            for (int b = 0; b < kw; b++)
                            {
                                int yy = (i * stride) - padTop + (a * dilation);
                                int xx = (j * stride) - padLeft + (b * dilation);
                                if (yy >= 0 && yy < h && xx >= 0 && xx < wd)
                                {
                                    acc += (x[((((g * cg) + ci) * h) + yy) * wd + xx] - xZp) * (w[(((((oc * cg) + ci) * kh) + a) * kw) + b] - wZp[oc]);
                                }
                            }
                        }
                    }

                    y[(((oc * oh) + i) * ow) + j] = acc;
                }
            }
        }

        return y;
    }
}
