using OpenAutoGlm.Backends.Cpu;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Runtime.Tests;

public sealed class SessionTests
{
    private static InferenceSession AddRelu(params IExecutionProvider[] providers)
    {
        var model = new ModelBuilder()
            .Input("a", DataType.Float32, Dim.Symbolic("N"), 3)
            .Input("b", DataType.Float32, 3)
            .Node("Add", ["a", "b"], ["s"])
            .Node("Relu", ["s"], ["y"])
            .Output("y")
            .Build();
        return InferenceSession.Create(model, new SessionOptions { Providers = providers.Length > 0 ? providers : [new CpuExecutionProvider()] });
    }

    private static Dictionary<string, DataValue> Feeds(int n = 2) => new()
    {
        ["a"] = Tensor.Create(Enumerable.Range(0, n * 3).Select(i => (float)i - 3).ToArray(), n, 3),
        ["b"] = Tensor.Create(new float[] { 1, 0, -1 }, 3),
    };

    [Fact]
    public void RunsByName()
    {
        var y = (Tensor)AddRelu().Run(Feeds())["y"];
        Assert.Equal(new double[] { 0, 0, 0, 1, 1, 1 }, y.ToDoubleArray());
        Assert.Equal("[2,3]", y.ShapeString);
    }

    [Fact]
    public void UnknownInputNameIsNamed()
    {
        var feeds = Feeds();
        feeds["c"] = Tensor.Scalar(1f);
        var ex = Assert.Throws<InvalidInputException>(() => AddRelu().Run(feeds));
        Assert.Contains("'c'", ex.Message);
        Assert.Contains("a, b", ex.Message);
    }

    [Fact]
    public void MissingInputIsNamed()
    {
        var feeds = Feeds();
        feeds.Remove("b");
        var ex = Assert.Throws<InvalidInputException>(() => AddRelu().Run(feeds));
        Assert.Contains("'b'", ex.Message);
    }

    [Fact]
    public void WrongDtypeNamesExpectedAndActual()
    {
        var feeds = Feeds();
        feeds["b"] = Tensor.Create(new double[] { 1, 2, 3 }, 3);
        var ex = Assert.Throws<InvalidInputException>(() => AddRelu().Run(feeds));
        Assert.Contains("'b'", ex.Message);
        Assert.Contains("float32", ex.Message);
        Assert.Contains("float64", ex.Message);
    }

    [Fact]
    public void WrongRankNamesShapes()
    {
        var feeds = Feeds();
        feeds["a"] = Tensor.Create(new float[3], 3);
        var ex = Assert.Throws<InvalidInputException>(() => AddRelu().Run(feeds));
        Assert.Contains("rank 2", ex.Message);
        Assert.Contains("[N,3]", ex.Message);
    }

    [Fact]
    public void WrongDimNamesShapes()
    {
        var feeds = Feeds();
        feeds["a"] = Tensor.Create(new float[8], 2, 4);
        var ex = Assert.Throws<InvalidInputException>(() => AddRelu().Run(feeds));
        Assert.Contains("dimension 1 must be 3", ex.Message);
        Assert.Contains("[2,4]", ex.Message);
    }

    [Fact]
    public void UnknownOutputIsNamed()
    {
        var ex = Assert.Throws<InvalidInputException>(() => AddRelu().Run(Feeds(), ["nope"]));
        Assert.Contains("'nope'", ex.Message);
    }

    [Fact]
    public async Task ConcurrentRunsGiveIndependentResults()
    {
        var session = AddRelu();
        var tasks = Enumerable.Range(1, 32).Select(n => Task.Run(() =>
        {
            var y = (Tensor)session.Run(Feeds(n))["y"];
            return (n, y);
        })).ToList();
        foreach (var (n, y) in await Task.WhenAll(tasks))
        {
            Assert.Equal(n * 3, y.Length);
            var expected = (Tensor)AddRelu().Run(Feeds(n))["y"];
            TensorAssert.Close(expected, y);
        }
    }

    [Fact]
    public async Task RunAsyncMatchesRun()
    {
        var session = AddRelu();
        var sync = (Tensor)session.Run(Feeds())["y"];
        var result = await session.RunAsync(Feeds());
        TensorAssert.Close(sync, (Tensor)result["y"]);
    }

    [Fact]
    public void UnsupportedOpNamesNodeOpDomainAndOpset()
    {
        var model = new ModelBuilder(opset: 13)
            .Input("x", DataType.Float32, 2)
            .NodeInDomain("com.example", "Frobnicate", ["x"], ["y"])
            .Opset("com.example", 1)
            .Output("y")
            .Build();
        var ex = Assert.Throws<UnsupportedOperatorException>(() => InferenceSession.Create(model, new SessionOptions { Providers = [new CpuExecutionProvider()] }));
        Assert.Contains("Frobnicate", ex.Message);
        Assert.Contains("com.example", ex.Message);
        Assert.Contains("opset 1", ex.Message);
    }

    [Fact]
    public void FallbackIsReportedAndStrictModeRefusesIt()
    {
        var picky = new ReluOnlyProvider();
        var session = AddRelu(picky, new CpuExecutionProvider());
        var fallback = Assert.Single(session.PartitionReport.Fallbacks);
        Assert.Equal("Add", fallback.OpType);
        Assert.Equal("cpu", fallback.AssignedProvider);
        Assert.Contains("relu-only", fallback.Reason);
        Assert.Equal(1, session.PartitionReport.NodesPerProvider["relu-only"]);
        Assert.Equal(1, session.PartitionReport.NodesPerProvider["cpu"]);
        var y = (Tensor)session.Run(Feeds())["y"];
        Assert.Equal(new double[] { 0, 0, 0, 1, 1, 1 }, y.ToDoubleArray());
        Assert.True(picky.KernelsCreated > 0);

        var model = new ModelBuilder().Input("x", DataType.Float32, 2).Node("Add", ["x", "x"], ["y"]).Output("y").Build();
        var ex = Assert.Throws<UnsupportedOperatorException>(() => InferenceSession.Create(model, new SessionOptions { Providers = [new ReluOnlyProvider(), new CpuExecutionProvider()], StrictFallback = true }));
        Assert.Contains("strict", ex.Message);
    }

    [Fact]
    public void KernelFailureNamesNodeAndInputShapes()
    {
        var model = new ModelBuilder()
            .InputUnknownShape("a", DataType.Float32)
            .InputUnknownShape("b", DataType.Float32)
            .Node("Add", ["a", "b"], ["y"])
            .Output("y")
            .Build();
        var session = InferenceSession.Create(model, new SessionOptions { Providers = [new CpuExecutionProvider()] });
        var ex = Assert.Throws<OpExecutionException>(() => session.Run(new Dictionary<string, DataValue>
        {
            ["a"] = Tensor.Create(new float[6], 2, 3),
            ["b"] = Tensor.Create(new float[4], 4),
        }));
        Assert.Contains("Add", ex.Message);
        Assert.Contains("[2,3]", ex.Message);
    }

    /// <summary>A provider that claims only Relu (runs it with the CPU kernel), to exercise fallback.</summary>
    private sealed class ReluOnlyProvider : IExecutionProvider
    {
        private readonly CpuExecutionProvider _cpu = new();

        public int KernelsCreated { get; private set; }

        public string Name => "relu-only";

        public DeviceDescriptor Device => _cpu.Device;

        public IAllocator Allocator => _cpu.Allocator;

        public IDataTransfer DataTransfer => _cpu.DataTransfer;

        public NodeSupport CanRun(NodeQuery query) =>
            query.Node.OpType == "Relu" ? NodeSupport.Yes : NodeSupport.No($"relu-only runs Relu, not {query.Node.OpType}");

        public IKernel CreateKernel(KernelCreationContext context)
        {
            KernelsCreated++;
            return _cpu.CreateKernel(context);
        }
    }
}
