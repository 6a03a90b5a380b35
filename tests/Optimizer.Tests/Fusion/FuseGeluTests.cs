using OpenAutoGlm.Core;
using OpenAutoGlm.Optimizer.Passes.Fusion;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Optimizer.Tests.Fusion.FusionHarness;

namespace OpenAutoGlm.Optimizer.Tests.Fusion;

public sealed class FuseGeluTests
{
    private static readonly (string, Tensor)[] s_feeds = [("x", Random(1, 2, 33))];

    /// <summary>The erf GELU forms: x/√2 as Div or Mul, the three product orders PyTorch exports.</summary>
    public static TheoryData<string> ErfForms() => new() { "div-mul(x,a)-half", "mul-half(x)-a", "div-x*(a*half)" };

    [Theory]
    [MemberData(nameof(ErfForms))]
    public void ErfFormsBecomeGelu(string form)
    {
        var model = Optimize(() => ErfGelu(form, 1.4142135f), [new FuseGelu()], s_feeds);
        Assert.Equal("Relu,Gelu", Ops(model));
        Assert.Equal("none", model.Graph.Nodes[1].Attributes.GetString("approximate"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TanhFormBecomesGelu(bool cubeAsMuls)
    {
        var model = Optimize(() => TanhGelu(cubeAsMuls), [new FuseGelu()], s_feeds);
        Assert.Equal("Relu,Gelu", Ops(model));
        Assert.Equal("tanh", model.Graph.Nodes[1].Attributes.GetString("approximate"));
    }

    [Fact]
    public void WrongConstantIsNotGelu() => AssertUnchanged(() => ErfGelu("div-mul(x,a)-half", 1.3f), new FuseGelu());

    [Fact]
    public void ErfWithASecondReaderIsNotFused()
    {
        AssertUnchanged(
            () =>
            {
                var m = ErfGelu("div-mul(x,a)-half", 1.4142135f);
                m.Graph.Outputs.Add(new ValueInfo("e", null));
                return m;
            },
            new FuseGelu());
    }

    [Fact]
    public void NothingHappensWithoutProviderInformation()
    {
        var model = ErfGelu("div-mul(x,a)-half", 1.4142135f);
        Prepare(model);
        Assert.False(new FuseGelu().Apply(model, PassContext.Empty));
        Assert.False(new FuseGelu().Apply(model, new PassContext { CanRun = _ => false }));
        Assert.Equal(0, Count(model, "Gelu"));
        Assert.False(model.OpsetImports.ContainsKey(OpSchemas.AutoGlmDomain));
    }

    private static Model ErfGelu(string form, float sqrt2)
    {
        var b = new ModelBuilder(13).Input("x", DataType.Float32, 2, 33)
            .Initializer("one", Tensor.Scalar(1f)).Initializer("half", Tensor.Scalar(0.5f))
            .Node("Relu", ["x"], ["r"]);
        b = form == "mul-half(x)-a"
            ? b.Initializer("inv", Tensor.Scalar(1 / sqrt2)).Node("Mul", ["r", "inv"], ["d"])
            : b.Initializer("sqrt2", Tensor.Scalar(sqrt2)).Node("Div", ["r", "sqrt2"], ["d"]);
        b = b.Node("Erf", ["d"], ["e"]).Node("Add", ["one", "e"], ["a"]);
        b = form switch
        {
            "div-mul(x,a)-half" => b.Node("Mul", ["r", "a"], ["m"]).Node("Mul", ["m", "half"], ["y"]),
            "mul-half(x)-a" => b.Node("Mul", ["half", "r"], ["xh"]).Node("Mul", ["a", "xh"], ["y"]),
            _ => b.Node("Mul", ["a", "half"], ["ah"]).Node("Mul", ["r", "ah"], ["y"]),
        };
        return b.Output("y").Build();
    }

    private static Model TanhGelu(bool cubeAsMuls)
    {
        var b = new ModelBuilder(13).Input("x", DataType.Float32, 2, 33)
            .Initializer("half", Tensor.Scalar(0.5f)).Initializer("three", Tensor.Scalar(3f)).Initializer("c", Tensor.Scalar(0.044715f))
            .Initializer("k", Tensor.Scalar(0.7978846f)).Initializer("one", Tensor.Scalar(1f))
            .Node("Relu", ["x"], ["r"]).Node("Mul", ["r", "half"], ["xh"]);
        b = cubeAsMuls ? b.Node("Mul", ["r", "r"], ["sq"]).Node("Mul", ["sq", "r"], ["p"]) : b.Node("Pow", ["r", "three"], ["p"]);
        return b.Node("Mul", ["p", "c"], ["pc"]).Node("Add", ["r", "pc"], ["in"]).Node("Mul", ["in", "k"], ["ik"]).Node("Tanh", ["ik"], ["t"])
            .Node("Add", ["t", "one"], ["a"]).Node("Mul", ["xh", "a"], ["y"]).Output("y").Build();
    }
}
