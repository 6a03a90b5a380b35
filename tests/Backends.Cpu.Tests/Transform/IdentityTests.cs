using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Transform.TransformOracle;

namespace OpenAutoGlm.Backends.Cpu.Tests.Transform;

[OpTest("Identity")]
public sealed class IdentityTests
{
    [Theory]
    [MemberData(nameof(AllTypeCases), MemberType = typeof(TransformOracle))]
    public void PassesEveryElementTypeThrough(DataType type)
    {
        var x = Random(type, [2, 3], 1);
        Equal(x, new OpTester("Identity").Input(x).RunSingle());
    }

    [Fact]
    public void PassesSequencesAndOptionalsThrough()
    {
        var seq = new TensorSequence(DataType.Float32, [Iota(2), Iota(3)]);
        var opt = new OptionalValue(new TensorTypeInfo(DataType.Float32, null), null);
        foreach (DataValue value in new DataValue[] { seq, opt })
        {
            var graph = new Graph("identity");
            graph.Inputs.Add(new ValueInfo("x", value.Type));
            graph.Nodes.Add(new Node("Identity", ["x"], ["y"], "id"));
            graph.Outputs.Add(new ValueInfo("y", null));
            var model = new Model(graph);
            model.OpsetImports[string.Empty] = 16;
            var session = Runtime.InferenceSession.Create(model, new Runtime.SessionOptions { Providers = [new CpuExecutionProvider()] });
            Assert.Same(value, session.Run(new Dictionary<string, DataValue> { ["x"] = value })["y"]);
        }
    }

    [Fact]
    public void MissingInputIsRejected()
    {
        Assert.ThrowsAny<AutoGlmException>(() => new OpTester("Identity").Input(null).RunSingle());
    }
}
