using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Transform.TransformOracle;

namespace OpenAutoGlm.Backends.Cpu.Tests.Transform;

[OpTest("Concat")]
public sealed class ConcatTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(-1)]
    public void JoinsAlongAxis(int axis)
    {
        var a = Iota(2, 3, 4);
        var b = Floats(ConcatDims([2, 3, 4], axis, 2), 1);
        var c = Floats(ConcatDims([2, 3, 4], axis, 1), 2);
        var y = new OpTester("Concat").Input(a).Input(b).Input(c).Attr("axis", (long)axis).RunSingle();
        Equal(Reference([a, b, c], axis < 0 ? axis + 3 : axis), y);
    }

    [Theory]
    [MemberData(nameof(AllTypeCases), MemberType = typeof(TransformOracle))]
    public void MovesEveryElementType(DataType type)
    {
        var a = Random(type, [2, 3], 1);
        var b = Random(type, [2, 5], 2);
        var y = new OpTester("Concat").Input(a).Input(b).Attr("axis", 1L).RunSingle();
        Equal(Reference([a, b], 1), y);
    }

    /// <summary>
    /// Inputs of a megabyte and more are copied on several threads, each row's block cut into pieces: a batch of
    /// [8, 16, 33, 35] and [8, 24, 33, 35] maps along the channels (rows of unequal blocks), and float16 along the last axis.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void LargeInputsCopiedInParallelMatchTheReference(int threads)
    {
        var a = Floats([8, 16, 33, 35], 3);
        var b = Floats([8, 24, 33, 35], 4);
        var y = new OpTester("Concat").Input(a).Input(b).Attr("axis", 1L).Threads(threads).RunSingle();
        Equal(Reference([a, b], 1), y);

        var h1 = Random(DataType.Float16, [3, 512, 300], 5);
        var h2 = Random(DataType.Float16, [3, 512, 701], 6);
        var yh = new OpTester("Concat").Input(h1).Input(h2).Attr("axis", -1L).Threads(threads).RunSingle();
        Equal(Reference([h1, h2], 2), yh);
    }

    [Fact]
    public void EmptyInputsContributeNothing()
    {
        var a = Iota(0, 3);
        var b = Iota(2, 3);
        var y = new OpTester("Concat").Input(a).Input(b).Attr("axis", 0L).RunSingle();
        Equal(b, y);
    }

    [Fact]
    public void AxisDefaultsToOneBeforeOpset4()
    {
        var y = new OpTester("Concat", 1).Input(Iota(2, 1)).Input(Iota(2, 2)).RunSingle();
        Assert.Equal([2, 3], y.DimsArray());
    }

    [Fact]
    public void MismatchedDimsAreRejected()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("Concat").Input(Iota(2, 3)).Input(Iota(3, 3)).Attr("axis", 1L).RunSingle());
        Assert.Contains("[2,3]", ex.Message);
        Assert.Contains("[3,3]", ex.Message);
    }

    private static int[] ConcatDims(int[] dims, int axis, int size)
    {
        var d = (int[])dims.Clone();
        d[axis < 0 ? axis + dims.Length : axis] = size;
        return d;
    }

    private static Tensor Reference(Tensor[] inputs, int axis)
    {
        var dims = inputs[0].DimsArray();
        dims[axis] = inputs.Sum(t => t.Dims[axis]);
        var flat = Join(inputs, out int[] starts);
        return Take(flat, dims, c =>
        {
            // Walk the inputs along axis to find which one holds output position c[axis].
            int i = 0, j = c[axis];
            while (j >= inputs[i].Dims[axis])
            {
                j -= inputs[i].Dims[axis];
                i++;
            }

            var sc = (int[])c.Clone();
            sc[axis] = j;
            return starts[i] + Linear(inputs[i].DimsArray(), sc);
        });
    }
}
