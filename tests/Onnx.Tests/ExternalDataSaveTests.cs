using OpenAutoGlm.Core;
using OpenAutoGlm.Onnx.Protos;
using OpenAutoGlm.TestKit;
using OpenAutoGlm.TestKit.BackendTests;

namespace OpenAutoGlm.Onnx.Tests;

/// <summary>Saving with <see cref="OnnxSaveOptions.ExternalDataFile"/>: large weights go to an aligned side file and load back unchanged.</summary>
public sealed class ExternalDataSaveTests
{
    [Fact]
    public void LargeInitializersGoToTheExternalFileAndLoadBack()
    {
        var model = MalformedModelTests.Load(SampleModels.KitchenSink());
        var rng = new Random(3);
        model.Graph.Initializers["big"] = Tensor.Create(Enumerable.Range(0, 1000).Select(_ => rng.NextSingle()).ToArray(), 10, 100);
        var thenBranch = model.Graph.Nodes[1].Attributes.GetRequiredGraph("then_branch");
        thenBranch.Initializers["sub_big"] = Tensor.Create(Enumerable.Range(0, 300).Select(i => (long)i * i).ToArray(), 300);

        using var dir = new TempDirectory();
        OnnxModelSaver.Save(model, dir.File("model.onnx"), new OnnxSaveOptions { ExternalDataFile = "model.onnx.data", ExternalDataThreshold = 1024 });

        Assert.Equal(["model.onnx", "model.onnx.data"], Directory.EnumerateFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(dir.File("model.onnx")));
        var big = proto.Graph.Initializer.Single(t => t.Name == "big");
        var subBig = proto.Graph.Node[1].Attribute[0].G.Initializer.Single(t => t.Name == "sub_big");
        foreach (var t in new[] { big, subBig })
        {
            Assert.Equal(TensorProto.Types.DataLocation.External, t.DataLocation);
            Assert.True(t.RawData.IsEmpty);
            Assert.Equal("model.onnx.data", t.ExternalData.Single(e => e.Key == "location").Value);
            Assert.Equal(0, long.Parse(t.ExternalData.Single(e => e.Key == "offset").Value, System.Globalization.CultureInfo.InvariantCulture) % 64);
        }

        Assert.All(proto.Graph.Initializer.Where(t => t.Name is not ("big" or "sub_big")), t => Assert.NotEqual(TensorProto.Types.DataLocation.External, t.DataLocation));
        GraphComparer.AssertEqual(model, OnnxModelLoader.Load(dir.File("model.onnx")));
    }

    [OnnxTestDataFact("pytorch-converted")]
    public void TestDataModelsRoundTripThroughExternalData()
    {
        using var dir = new TempDirectory();
        var failures = new List<string>();
        foreach (var test in BackendTestCase.Discover(RepoPaths.OnnxTestData, "pytorch-converted"))
        {
            var model = OnnxModelLoader.Load(test.ModelPath);
            string path = dir.File($"{test.Name}.onnx");
            OnnxModelSaver.Save(model, path, new OnnxSaveOptions { ExternalDataFile = $"{test.Name}.data", ExternalDataThreshold = 16 });
            if (GraphComparer.Compare(model, OnnxModelLoader.Load(path)) is { } diff)
            {
                failures.Add($"{test.Id}: {diff}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [InlineData("")]
    [InlineData("sub/w.bin")]
    [InlineData("../w.bin")]
    [InlineData("..")]
    [InlineData("model.onnx")]
    public void ExternalFileMustBeAPlainNameBesideTheModel(string name)
    {
        using var dir = new TempDirectory();
        var model = MalformedModelTests.Load(SampleModels.KitchenSink());
        Assert.Throws<ArgumentException>(() => OnnxModelSaver.Save(model, dir.File("model.onnx"), new OnnxSaveOptions { ExternalDataFile = name }));
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Fact]
    public void InlineSaveIsAtomicAndLoadsBack()
    {
        using var dir = new TempDirectory();
        var model = MalformedModelTests.Load(SampleModels.KitchenSink());
        File.WriteAllText(dir.File("model.onnx"), "old contents");
        OnnxModelSaver.Save(model, dir.File("model.onnx"));
        Assert.Equal(["model.onnx"], Directory.EnumerateFiles(dir.Path).Select(Path.GetFileName));
        GraphComparer.AssertEqual(model, OnnxModelLoader.Load(dir.File("model.onnx")));
    }
}
