using OpenAutoGlm.Core;
using OpenAutoGlm.Optimizer.Passes;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Optimizer.Tests.PassHarness;

namespace OpenAutoGlm.Optimizer.Tests.Passes;

/// <summary>Layout level: transposes move below elementwise ops and cancel or compose.</summary>
public sealed class PushTransposesDownTests
{
    private static readonly long[] s_perm = [0, 2, 3, 1];
    private static readonly long[] s_inverse = [0, 3, 1, 2];

    private static NodeAttribute Perm(long[] p) => NodeAttribute.Of("perm", p);

    [Fact]
    public void TransposeThroughAChainOfUnaryOpsCancelsWithItsInverse()
    {
        // NCHW → NHWC → Relu → Sigmoid → Clip(0, 0.7) → NCHW: no transpose is left.
        Model Build() => new ModelBuilder()
            .Input("x", DataType.Float32, 1, 3, 4, 5)
            .Initializer("lo", Tensor.Create(new float[] { 0 }))
            .Initializer("hi", Tensor.Create(new float[] { 0.7f }))
            .Node("Transpose", ["x"], ["t"], Perm(s_perm))
            .Node("Relu", ["t"], ["r"])
            .Node("Sigmoid", ["r"], ["s"])
            .Node("Clip", ["s", "lo", "hi"], ["c"])
            .Node("Transpose", ["c"], ["y"], Perm(s_inverse))
            .Output("y")
            .Build();
        var session = AssertOutputsPreserved(Build, Feeds(("x", Random(1, 1, 3, 4, 5))), OptimizationLevel.All);
        Assert.Equal(0, Count(session, "Transpose"));
        Assert.Equal("y", session.Model.Graph.Outputs[0].Name);
    }

    [Fact]
    public void TwoTransposedOperandsOfABinaryOpBecomeOneTranspose()
    {
        Model Build() => new ModelBuilder()
            .Input("a", DataType.Float32, 2, 3, 4, 5)
            .Input("b", DataType.Float32, 2, 3, 4, 5)
            .Node("Transpose", ["a"], ["ta"], Perm(s_perm))
            .Node("Transpose", ["b"], ["tb"], Perm(s_perm))
            .Node("Add", ["ta", "tb"], ["y"])
            .Output("y")
            .Build();
        var session = AssertOutputsPreserved(Build, Feeds(("a", Random(1, 2, 3, 4, 5)), ("b", Random(2, 2, 3, 4, 5))), OptimizationLevel.All);
        var t = Assert.Single(session.Model.Graph.Nodes, n => n.OpType == "Transpose");
        Assert.Equal("y", t.Outputs[0]);
        Assert.Equal(s_perm, t.Attributes.GetInts("perm"));
    }

    [Fact]
    public void AFullRankConstantOperandIsTransposedBackAndTheTransposesCancel()
    {
        // y = Transpose(Mul(Transpose(x, p), c), p⁻¹) with c of the transposed shape [1,4,5,3]: y = x * c'.
        Model Build() => new ModelBuilder()
            .Input("x", DataType.Float32, 1, 3, 4, 5)
            .Initializer("c", Random(7, 1, 4, 5, 3))
            .Initializer("one", Tensor.Create(new float[] { 1 }, 1))
            .Node("Transpose", ["x"], ["t"], Perm(s_perm))
            .Node("Mul", ["t", "c"], ["m"])
            .Node("Sub", ["m", "one"], ["s"])
            .Node("Transpose", ["s"], ["y"], Perm(s_inverse))
            .Output("y")
            .Build();
        var session = AssertOutputsPreserved(Build, Feeds(("x", Random(1, 1, 3, 4, 5))), OptimizationLevel.All);
        Assert.Equal(0, Count(session, "Transpose"));
    }

    [Fact]
    public void ATransposeWithAnotherReaderStays()
    {
        var model = new ModelBuilder()
            .Input("x", DataType.Float32, 1, 3, 4, 5)
            .Node("Transpose", ["x"], ["t"], Perm(s_perm))
            .Node("Relu", ["t"], ["y"])
            .Node("Neg", ["t"], ["z"])
            .Output("y")
            .Output("z")
            .Build();
        AssertUnchanged(new PushTransposesDown(), model);
    }

    [Fact]
    public void OperandsTransposedDifferentlyOrAPartialRankConstantStay()
    {
        var model = new ModelBuilder()
            .Input("a", DataType.Float32, 2, 3, 4, 5)
            .Input("b", DataType.Float32, 2, 3, 4, 5)
            .Initializer("bias", Random(3, 3))
            .Node("Transpose", ["a"], ["ta"], Perm(s_perm))
            .Node("Transpose", ["b"], ["tb"], Perm([0, 3, 1, 2]))
            .Node("Add", ["ta", "tb"], ["y"])
            .Node("Transpose", ["a"], ["tc"], Perm(s_perm))
            .Node("Add", ["tc", "bias"], ["z"])
            .Output("y")
            .Output("z")
            .Build();
        AssertUnchanged(new PushTransposesDown(), model);
    }

    [Fact]
    public void OnlyTheLayoutLevelMovesTransposes()
    {
        Model Build() => new ModelBuilder()
            .Input("x", DataType.Float32, 1, 3, 4, 5)
            .Node("Transpose", ["x"], ["t"], Perm(s_perm))
            .Node("Relu", ["t"], ["r"])
            .Node("Transpose", ["r"], ["y"], Perm(s_inverse))
            .Output("y")
            .Build();
        var extended = AssertOutputsPreserved(Build, Feeds(("x", Random(1, 1, 3, 4, 5))), OptimizationLevel.Extended);
        Assert.Equal(2, Count(extended, "Transpose"));
    }
}
