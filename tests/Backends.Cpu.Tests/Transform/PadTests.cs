using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Transform.TransformOracle;

namespace OpenAutoGlm.Backends.Cpu.Tests.Transform;

[OpTest("Pad")]
public sealed class PadTests
{
    [Theory]
    [InlineData("constant", new long[] { 1, 2, 3, 0 })]
    [InlineData("constant", new long[] { -1, 1, 0, -2 })]
    [InlineData("reflect", new long[] { 2, 2, 2, 2 })]
    [InlineData("reflect", new long[] { 5, 0, 0, 7 })]
    [InlineData("edge", new long[] { 3, 1, 0, 4 })]
    [InlineData("edge", new long[] { -1, 2, 1, -2 })]
    public void PadsLikeNumpy(string mode, long[] pads)
    {
        var x = Iota(3, 4);
        var tester = new OpTester("Pad").Input(x).Input(Longs(pads)).Attr("mode", mode);
        if (mode == "constant")
        {
            tester.Input(Tensor.Scalar(-7f));
        }

        Equal(Reference(x, pads, mode, -7f), tester.RunSingle());
    }

    [Theory]
    [MemberData(nameof(AllTypeCases), MemberType = typeof(TransformOracle))]
    public void EdgePadsEveryElementType(DataType type)
    {
        var x = Random(type, [2, 3], 4);
        var y = new OpTester("Pad").Input(x).Input(Longs(1, 0, 0, 2)).Attr("mode", "edge").RunSingle();
        Equal(Take(x, [3, 5], c => Linear([2, 3], [Math.Clamp(c[0] - 1, 0, 1), Math.Min(c[1], 2)])), y);
    }

    [Fact]
    public void ConstantDefaultsToZeroAndEmptyString()
    {
        var y = new OpTester("Pad").Input(new StringTensor(["a"], [1])).Input(Longs(1, 1)).RunSingle();
        Equal(new StringTensor(["", "a", ""], [3]), y);
    }

    [Fact]
    public void PadsIsAnAttributeBeforeOpset11()
    {
        var x = Iota(2, 2);
        var y = new OpTester("Pad", 2).Input(x).Attr("pads", new long[] { 0, 1, 0, 0 }).Attr("value", 9f).RunSingle();
        Equal(Reference(x, [0, 1, 0, 0], "constant", 9f), y);
    }

    [Fact]
    public void AxesInputPadsOnlyThoseAxes()
    {
        var x = Iota(2, 3);
        var y = new OpTester("Pad", 18).Input(x).Input(Longs(1, 2)).Input(null).Input(Longs(-1)).Attr("mode", "reflect").RunSingle();
        Equal(Reference(x, [0, 1, 0, 2], "reflect", 0f), y);
    }

    [Fact]
    public void WrongPadsLengthIsRejected()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("Pad").Input(Iota(2, 2)).Input(Longs(1, 1)).RunSingle());
        Assert.Contains("pads [1,1]", ex.Message);
    }

    // numpy.pad semantics per output coordinate; negative pads crop.
    private static Tensor Reference(Tensor<float> x, long[] pads, string mode, float value)
    {
        int rank = x.Rank;
        int[] inDims = x.DimsArray();
        int[] outDims = inDims.Select((d, k) => d + (int)pads[k] + (int)pads[k + rank]).ToArray();
        var expected = new Tensor<float>(outDims);
        var coord = new int[rank];
        for (int i = 0; i < expected.Length; i++)
        {
            int r = i;
            for (int k = rank - 1; k >= 0; k--)
            {
                coord[k] = r % outDims[k];
                r /= outDims[k];
            }

            var src = new int[rank];
            bool inside = true;
            for (int k = 0; k < rank; k++)
            {
                int s = coord[k] - (int)pads[k];
                int n = inDims[k];
                if (s < 0 || s >= n)
                {
                    inside = false;
                    s = mode switch
                    {
                        "edge" => Math.Clamp(s, 0, n - 1),
                        "reflect" => Reflect(s, n),
                        _ => 0,
                    };
                }

                src[k] = s;
            }

            expected[i] = inside || mode != "constant" ? x[Linear(inDims, src)] : value;
        }

        return expected;
    }

    private static int Reflect(int s, int n)
    {
        // Bounce off the borders (border elements not repeated) until inside.
        while (s < 0 || s >= n)
        {
            s = s < 0 ? -s : (2 * (n - 1)) - s;
        }

        return s;
    }
}
