using OpenAutoGlm.Backends.Cpu;
using OpenAutoGlm.Core;
using OpenAutoGlm.Onnx;
using OpenAutoGlm.Optimizer;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Runtime.Tests;

/// <summary>The optimized-model cache: miss then hit, identical outputs, corrupted entries rewritten, opt-in only.</summary>
public sealed class WarmStartTests
{
    // y = Relu(x · (a + b)) with a foldable constant Add and an Identity: the optimized graph differs from the original.
    private static Model Build() => new ModelBuilder()
        .Input("x", DataType.Float32, 2, 3)
        .Initializer("a", Tensor.Create(new float[] { 1, 2, 3 }, 3))
        .Initializer("b", Tensor.Create(new float[] { -0.5f, 0.25f, 2 }, 3))
        .Node("Add", ["a", "b"], ["ab"])
        .Node("Identity", ["x"], ["xi"])
        .Node("Mul", ["xi", "ab"], ["m"])
        .Node("Relu", ["m"], ["y"])
        .Output("y")
        .Build();

    private static SessionOptions Options(string dir, OptimizationLevel level = OptimizationLevel.Basic) => new()
    {
        Providers = [new CpuExecutionProvider()],
        OptimizationLevel = level,
        OptimizedModelCacheDirectory = dir,
        ModelSerializer = OnnxModelSerializer.Instance,
    };

    private static Dictionary<string, DataValue> Feeds() => new()
    {
        ["x"] = Tensor.Create(new float[] { 1, -2, 3, -4, 5, -6 }, 2, 3),
    };

    [Fact]
    public void SecondSessionHitsTheCacheAndGivesIdenticalOutputs()
    {
        using var temp = new TempDirectory();
        var first = InferenceSession.Create(Build(), Options(temp.Path));
        Assert.False(first.CacheHit);
        Assert.True(File.Exists(first.CachePath));
        Assert.NotEmpty(first.OptimizationReport.Passes);

        var second = InferenceSession.Create(Build(), Options(temp.Path));
        Assert.True(second.CacheHit);
        Assert.Equal(first.CachePath, second.CachePath);
        Assert.Empty(second.OptimizationReport.Passes);
        Assert.Equal(GraphText.OpHistogram(first.Model.Graph), GraphText.OpHistogram(second.Model.Graph));

        var expected = (Tensor)first.Run(Feeds())["y"];
        var actual = (Tensor)second.Run(Feeds())["y"];
        Assert.Equal(expected.ToDoubleArray(), actual.ToDoubleArray());
        Assert.Equal(new double[] { 0.5, 0, 15, 0, 11.25, 0 }, actual.ToDoubleArray());
        Assert.Single(Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void FromAFileAHitNeverReadsTheOriginalAndAFolderChangeIsAMiss()
    {
        using var temp = new TempDirectory();
        string modelDir = Path.Combine(temp.Path, "model");
        Directory.CreateDirectory(modelDir);
        string file = Path.Combine(modelDir, "model.onnx");
        OnnxModelSaver.Save(Build(), file);
        string cache = Path.Combine(temp.Path, "cache");

        var cold = InferenceSession.Create(file, Options(cache));
        Assert.False(cold.CacheHit);
        var warm = InferenceSession.Create(file, Options(cache));
        Assert.True(warm.CacheHit);
        Assert.Equal(cold.CachePath, warm.CachePath);
        Assert.Equal(((Tensor)cold.Run(Feeds())["y"]).ToDoubleArray(), ((Tensor)warm.Run(Feeds())["y"]).ToDoubleArray());

        // A new or changed file beside the model (external data lives there) changes the key.
        File.WriteAllBytes(Path.Combine(modelDir, "weights.bin"), [1, 2, 3]);
        var changed = InferenceSession.Create(file, Options(cache));
        Assert.False(changed.CacheHit);
        Assert.NotEqual(cold.CachePath, changed.CachePath);
    }

    [Fact]
    public void FromAFileWithoutACacheLoadsAndOptimizes()
    {
        using var temp = new TempDirectory();
        string file = Path.Combine(temp.Path, "model.onnx");
        OnnxModelSaver.Save(Build(), file);
        var session = InferenceSession.Create(file, new SessionOptions { Providers = [new CpuExecutionProvider()], ModelSerializer = OnnxModelSerializer.Instance });
        Assert.False(session.CacheHit);
        Assert.Null(session.CachePath);
        Assert.Equal(new double[] { 0.5, 0, 15, 0, 11.25, 0 }, ((Tensor)session.Run(Feeds())["y"]).ToDoubleArray());
    }

    [Fact]
    public void FromAMissingOrMalformedFileTheErrorIsTyped()
    {
        using var temp = new TempDirectory();
        var options = Options(Path.Combine(temp.Path, "cache"));
        var missing = Assert.Throws<ModelLoadException>(() => InferenceSession.Create(Path.Combine(temp.Path, "nope.onnx"), options));
        Assert.Contains("nope.onnx", missing.Message);

        string bad = Path.Combine(temp.Path, "bad.onnx");
        File.WriteAllBytes(bad, [0x0a, 0xff, 0xff, 0xff]);
        Assert.Throws<ModelLoadException>(() => InferenceSession.Create(bad, options));

        var noSerializer = Assert.Throws<ArgumentException>(() => InferenceSession.Create(bad, new SessionOptions { Providers = [new CpuExecutionProvider()] }));
        Assert.Contains("ModelSerializer", noSerializer.Message);
    }

    [Fact]
    public void KeyDependsOnLevelAndModel()
    {
        using var temp = new TempDirectory();
        var basic = InferenceSession.Create(Build(), Options(temp.Path));
        var all = InferenceSession.Create(Build(), Options(temp.Path, OptimizationLevel.All));
        Assert.NotEqual(basic.CachePath, all.CachePath);
        Assert.False(all.CacheHit);

        var other = Build();
        other.Graph.Nodes.Single(n => n.OpType == "Relu").OpType = "Sigmoid";
        var otherSession = InferenceSession.Create(other, Options(temp.Path));
        Assert.False(otherSession.CacheHit);
        Assert.NotEqual(basic.CachePath, otherSession.CachePath);
    }

    [Fact]
    public void CorruptedEntryIsIgnoredAndRewritten()
    {
        using var temp = new TempDirectory();
        var first = InferenceSession.Create(Build(), Options(temp.Path));
        File.WriteAllBytes(first.CachePath!, [0x08, 0xFF, 0xFF, 0x12, 0x99, 0x01]);

        var second = InferenceSession.Create(Build(), Options(temp.Path));
        Assert.False(second.CacheHit);
        Assert.Equal(new double[] { 0.5, 0, 15, 0, 11.25, 0 }, ((Tensor)second.Run(Feeds())["y"]).ToDoubleArray());

        var third = InferenceSession.Create(Build(), Options(temp.Path));
        Assert.True(third.CacheHit);
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp"));
    }

    [Fact]
    public void ConcurrentWritersOfOneEntryAgree()
    {
        using var temp = new TempDirectory();
        var sessions = Enumerable.Range(0, 4).AsParallel().Select(_ => InferenceSession.Create(Build(), Options(temp.Path))).ToList();
        Assert.Single(Directory.GetFiles(temp.Path));
        Assert.All(sessions, s => Assert.Equal(new double[] { 0.5, 0, 15, 0, 11.25, 0 }, ((Tensor)s.Run(Feeds())["y"]).ToDoubleArray()));
        Assert.True(InferenceSession.Create(Build(), Options(temp.Path)).CacheHit);
    }

    [Fact]
    public void AnUnwritableCacheDoesNotFailTheSession()
    {
        using var temp = new TempDirectory();
        string blocker = temp.File("not-a-folder");
        File.WriteAllText(blocker, "a file where the cache folder should be");
        var session = InferenceSession.Create(Build(), Options(blocker));
        Assert.False(session.CacheHit);
        Assert.NotNull(session.CacheError);
        Assert.Equal(new double[] { 0.5, 0, 15, 0, 11.25, 0 }, ((Tensor)session.Run(Feeds())["y"]).ToDoubleArray());
    }

    [Fact]
    public void CacheIsOptInAndNeedsASerializer()
    {
        var plain = InferenceSession.Create(Build(), new SessionOptions { Providers = [new CpuExecutionProvider()] });
        Assert.False(plain.CacheHit);
        Assert.Null(plain.CachePath);
        Assert.Throws<ArgumentException>(() => InferenceSession.Create(Build(), new SessionOptions
        {
            Providers = [new CpuExecutionProvider()],
            OptimizedModelCacheDirectory = Path.GetTempPath(),
        }));
    }

    [Fact]
    public void LevelNoneSkipsTheOptimizer()
    {
        var session = InferenceSession.Create(Build(), new SessionOptions { Providers = [new CpuExecutionProvider()], OptimizationLevel = OptimizationLevel.None });
        Assert.Empty(session.OptimizationReport.Passes);
        Assert.Equal(4, session.Model.Graph.Nodes.Count);
    }
}
