using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Transform.TransformOracle;

namespace OpenAutoGlm.Backends.Cpu.Tests.Transform;

[OpTest("Slice")]
public sealed class SliceTests
{
    [Fact]
    public void MatchesTheSpecOnRandomParameters()
    {
        var rng = new Random(11);
        int[] dims = [5, 4, 6];
        var x = Iota(dims);
        for (int trial = 0; trial < 200; trial++)
        {
            var starts = new long[3];
            var ends = new long[3];
            var steps = new long[3];
            for (int a = 0; a < 3; a++)
            {
                starts[a] = rng.Next(-9, 10);
                ends[a] = rng.Next(4) == 0 ? (rng.Next(2) == 0 ? long.MaxValue : long.MinValue) : rng.Next(-9, 10);
                steps[a] = rng.Next(2) == 0 ? rng.Next(1, 4) : -rng.Next(1, 4);
            }

            var y = new OpTester("Slice").Input(x).Input(Longs(starts)).Input(Longs(ends)).Input(Longs(0, 1, 2)).Input(Longs(steps)).RunSingle();
            var picks = Enumerable.Range(0, 3).Select(a => SpecRange(starts[a], ends[a], steps[a], dims[a])).ToArray();
            Equal(Take(x, picks.Select(p => p.Length).ToArray(), c => Linear(dims, [picks[0][c[0]], picks[1][c[1]], picks[2][c[2]]])), y);
        }
    }

    [Theory]
    [MemberData(nameof(AllTypeCases), MemberType = typeof(TransformOracle))]
    public void MovesEveryElementType(DataType type)
    {
        var x = Random(type, [4, 5], 2);
        var y = new OpTester("Slice").Input(x).Input(Longs(-1, 1)).Input(Longs(0, 5)).Input(Longs(0, 1)).Input(Longs(-2, 2)).RunSingle();
        Equal(Take(x, [2, 2], c => Linear([4, 5], [3 - (2 * c[0]), 1 + (2 * c[1])])), y);
    }

    [Fact]
    public void AxesAreOptionalAndMayBeNegative()
    {
        var x = Iota(3, 4);
        var y = new OpTester("Slice").Input(x).Input(Longs(1)).Input(Longs(3)).Input(Longs(-1)).RunSingle();
        Equal(Take(x, [3, 2], c => Linear([3, 4], [c[0], c[1] + 1])), y);
        var z = new OpTester("Slice").Input(x).Input(Longs(1)).Input(Longs(100)).RunSingle();
        Equal(Take(x, [2, 4], c => Linear([3, 4], [c[0] + 1, c[1]])), z);
    }

    [Fact]
    public void StartsAndEndsAreAttributesBeforeOpset10()
    {
        var y = new OpTester("Slice", 1).Input(Iota(2, 4)).Attr("starts", new long[] { 0, 1 }).Attr("ends", new long[] { -1, 1000 }).RunSingle();
        Assert.Equal(new float[] { 1, 2, 3 }, y.AsSpan<float>().ToArray());
    }

    [Fact]
    public void ZeroStepIsRejected()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("Slice").Input(Iota(4)).Input(Longs(0)).Input(Longs(4)).Input(Longs(0)).Input(Longs(0)).RunSingle());
        Assert.Contains("zero step", ex.Message);
    }

    [Fact]
    public void InfersShapeFromConstantParameters()
    {
        var tester = new OpTester("Slice").Input(Iota(5, 6)).ConstantInput(Longs(1, -1)).ConstantInput(Longs(4, 0)).ConstantInput(Longs(0, 1)).ConstantInput(Longs(2, -2));
        Assert.Equal("float32[2,3]", Infer(tester)[0]!.ToString());
        Assert.Equal([2, 3], tester.RunSingle().DimsArray());
    }

    // The Slice-13 text: negatives count from the end, then start is clamped to [0, dim] ([0, dim-1] for
    // negative steps) and end to [0, dim] ([-1, dim-1]). Unlike Python, a start below -dim with a negative
    // step clamps to 0 instead of giving an empty slice.
    private static int[] SpecRange(long start, long end, long step, int dim)
    {
        long s = start < 0 ? start + dim : start;
        long e = end < 0 ? end + dim : end;
        s = step > 0 ? Math.Clamp(s, 0, dim) : Math.Clamp(s, 0, dim - 1);
        e = step > 0 ? Math.Clamp(e, 0, dim) : Math.Clamp(e, -1, dim - 1);
        var result = new List<int>();
        for (long i = s; step > 0 ? i < e : i > e; i += step)
        {
            result.Add((int)i);
        }

        return result.ToArray();
    }
}
