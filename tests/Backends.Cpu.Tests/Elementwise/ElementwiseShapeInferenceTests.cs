using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.Elementwise;

/// <summary>Shape/type inference of the elementwise family on symbolic and unknown shapes (the kernels' tests cover concrete ones).</summary>
public sealed class ElementwiseShapeInferenceTests
{
    private static readonly Dim s_n = Dim.Symbolic("N");

    [Fact]
    public void BroadcastKeepsSymbolsAndResolvesOnes()
    {
        var type = Infer(b => b.Input("a", DataType.Float32, s_n, 1, 4).Input("b", DataType.Float32, 3, 1).Node("Mul", ["a", "b"], ["y"]));
        Assert.Equal(DataType.Float32, type.ElementType);
        Assert.Equal(new Shape(s_n, 3, 4), type.Shape);
    }

    [Fact]
    public void ComparisonsAndPredicatesGiveBool()
    {
        var less = Infer(b => b.Input("a", DataType.Int64, s_n).Input("b", DataType.Int64, 1).Node("Less", ["a", "b"], ["y"]));
        Assert.Equal(DataType.Bool, less.ElementType);
        Assert.Equal(new Shape(s_n), less.Shape);
        var isNaN = Infer(b => b.Input("a", DataType.Float16, s_n, 2).Node("IsNaN", ["a"], ["y"]));
        Assert.Equal(new TensorTypeInfo(DataType.Bool, new Shape(s_n, 2)), isNaN);
    }

    [Fact]
    public void LegacyBroadcastOutputHasAsShape()
    {
        var type = Infer(
            b => b.Input("a", DataType.Float32, s_n, 3, 4).Input("b", DataType.Float32, 3).Node("Add", ["a", "b"], ["y"], NodeAttribute.Of("broadcast", 1L), NodeAttribute.Of("axis", 1L)),
            opset: 6);
        Assert.Equal(new Shape(s_n, 3, 4), type.Shape);
    }

    [Fact]
    public void PowKeepsTheBaseTypeAndWhereTakesXsType()
    {
        var pow = Infer(b => b.Input("a", DataType.Int32, 2).Input("b", DataType.Float32, 2).Node("Pow", ["a", "b"], ["y"]));
        Assert.Equal(DataType.Int32, pow.ElementType);
        var where = Infer(b => b.Input("c", DataType.Bool, s_n, 1).Input("x", DataType.String, 5).Input("y", DataType.String, 1).Node("Where", ["c", "x", "y"], ["out"]), output: "out");
        Assert.Equal(new TensorTypeInfo(DataType.String, new Shape(s_n, 5)), where);
    }

    [Fact]
    public void CastTakesToAndCastLikeTakesTheTarget()
    {
        var cast = Infer(b => b.Input("a", DataType.Float32, s_n).Node("Cast", ["a"], ["y"], NodeAttribute.Of("to", (long)DataType.Int8)));
        Assert.Equal(new TensorTypeInfo(DataType.Int8, new Shape(s_n)), cast);
        var cast1 = Infer(b => b.Input("a", DataType.Float32, 2).Node("Cast", ["a"], ["y"], NodeAttribute.Of("to", "DOUBLE")), opset: 1);
        Assert.Equal(DataType.Float64, cast1.ElementType);
        var like = Infer(b => b.Input("a", DataType.Float32, s_n).Input("t", DataType.BFloat16, 0).Node("CastLike", ["a", "t"], ["y"]));
        Assert.Equal(new TensorTypeInfo(DataType.BFloat16, new Shape(s_n)), like);
    }

    [Fact]
    public void UnknownRankStaysUnknown()
    {
        var model = new ModelBuilder().InputUnknownShape("a", DataType.Float32).Input("b", DataType.Float32, 3).Node("Sub", ["a", "b"], ["y"]).Output("y").Build();
        ShapeInferencer.Run(model, new ShapeInferenceOptions { Strict = true });
        var type = (TensorTypeInfo)model.Graph.ValueInfos["y"].Type!;
        Assert.Equal(DataType.Float32, type.ElementType);
        Assert.Null(type.Shape);
    }

    [Fact]
    public void MismatchedDtypesAndShapesAreNamedErrors()
    {
        var dtype = Assert.Throws<ShapeInferenceException>(() =>
            Infer(b => b.Input("a", DataType.Float32, 2).Input("b", DataType.Int32, 2).Node("Add", ["a", "b"], ["y"])));
        Assert.Contains("int32", dtype.Message);
        var shape = Assert.Throws<ShapeInferenceException>(() =>
            Infer(b => b.Input("a", DataType.Float32, 2, 3).Input("b", DataType.Float32, 4).Node("Max", ["a", "b"], ["y"])));
        Assert.Contains("[2,3]", shape.Message);
        var legacy = Assert.Throws<ShapeInferenceException>(() =>
            Infer(b => b.Input("a", DataType.Float32, 2, 3).Input("b", DataType.Float32, 3).Node("Div", ["a", "b"], ["y"]), opset: 6));
        Assert.Contains("broadcast=0", legacy.Message);
    }

    private static TensorTypeInfo Infer(Func<ModelBuilder, ModelBuilder> build, long opset = 17, string output = "y")
    {
        var model = build(new ModelBuilder(opset)).Output(output).Build();
        ShapeInferencer.Run(model, new ShapeInferenceOptions { Strict = true });
        return (TensorTypeInfo)model.Graph.ValueInfos[output].Type!;
    }
}
