using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.Generator;

/// <summary>Random generators: checked by shape, dtype, range, moments and seeded reproducibility.</summary>
[OpTest("RandomUniform")]
[OpTest("RandomNormal")]
[OpTest("RandomUniformLike")]
[OpTest("RandomNormalLike")]
public sealed class RandomTests
{
    [Fact]
    public void UniformRespectsShapeDtypeAndRange()
    {
        var result = new OpTester("RandomUniform").Attr("shape", new[] { 50L, 40L }).Attr("low", -2f).Attr("high", 3f).RunSingle();
        Assert.Equal(DataType.Float32, result.DataType);
        Assert.Equal(new[] { 50, 40 }, result.DimsArray());
        var v = result.ToDoubleArray();
        Assert.All(v, x => Assert.InRange(x, -2, 3));
        Assert.InRange(v.Average(), 0.5 - 0.15, 0.5 + 0.15); // mean 0.5, sd of the mean ≈ 0.03
    }

    [Fact]
    public void SeededRunsAreReproducible()
    {
        var a = new OpTester("RandomUniform").Attr("shape", new[] { 16L }).Attr("seed", 3f).RunSingle();
        var b = new OpTester("RandomUniform").Attr("shape", new[] { 16L }).Attr("seed", 3f).RunSingle();
        var c = new OpTester("RandomUniform").Attr("shape", new[] { 16L }).Attr("seed", 4f).RunSingle();
        TensorAssert.Close(a, b, 0, 0);
        Assert.NotNull(TensorAssert.Compare(a, c, 0, 0));
    }

    [Fact]
    public void NormalHasRequestedMoments()
    {
        var result = new OpTester("RandomNormal").Attr("shape", new[] { 4000L }).Attr("mean", 5f).Attr("scale", 2f)
            .Attr("dtype", (long)DataType.Float64).Attr("seed", 1f).RunSingle();
        Assert.Equal(DataType.Float64, result.DataType);
        var v = result.ToDoubleArray();
        double mean = v.Average();
        double sd = Math.Sqrt(v.Select(x => (x - mean) * (x - mean)).Average());
        Assert.InRange(mean, 5 - 0.2, 5 + 0.2);
        Assert.InRange(sd, 2 * 0.93, 2 * 1.07);
    }

    [Fact]
    public void LikeVariantsTakeInputShapeAndType()
    {
        var input = new Tensor<Half>([3, 7]);
        var uniform = new OpTester("RandomUniformLike").Input(input).RunSingle();
        Assert.Equal(DataType.Float16, uniform.DataType);
        Assert.Equal(new[] { 3, 7 }, uniform.DimsArray());
        Assert.All(uniform.ToDoubleArray(), x => Assert.InRange(x, 0, 1));

        var normal = new OpTester("RandomNormalLike").Input(new Tensor<int>([2, 5])).Attr("dtype", (long)DataType.Float32).Attr("mean", 100f).Attr("scale", 0.001f).RunSingle();
        Assert.Equal(DataType.Float32, normal.DataType);
        Assert.All(normal.ToDoubleArray(), x => Assert.InRange(x, 99, 101));
    }

    [Fact]
    public void IntegerDtypeIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("RandomUniform").Attr("shape", new[] { 2L }).Attr("dtype", (long)DataType.Int32).RunSingle());
        Assert.Contains("int32", ex.Message);
        var like = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("RandomNormalLike").Input(new Tensor<int>([2])).RunSingle());
        Assert.Contains("dtype", like.Message);
    }
}
