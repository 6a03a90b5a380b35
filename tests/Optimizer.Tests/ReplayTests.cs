using System.Text.Json;
using System.Text.Json.Nodes;
using OpenAutoGlm.Backends.Cpu;
using OpenAutoGlm.Core;
using OpenAutoGlm.Onnx;
using OpenAutoGlm.Runtime;
using OpenAutoGlm.TestKit;
using OpenAutoGlm.TestKit.BackendTests;

namespace OpenAutoGlm.Optimizer.Tests;

/// <summary>
/// Process replay: optimizes the zoo subset and the built-in replay models and compares the per-op node counts
/// with committed snapshots in tests/Optimizer.Tests/snapshots/&lt;model&gt;.&lt;level&gt;.json, so a refactor
/// that changes what the optimizer produces shows up as a diff. AUTOGLM_UPDATE_SNAPSHOTS=1 rewrites them.
/// </summary>
public sealed class ReplayTests
{
    /// <summary>The levels snapshotted. Adding a level is one line here (plus regenerating the snapshots).</summary>
    public static readonly OptimizationLevel[] Levels =
    [
        OptimizationLevel.Basic,
        OptimizationLevel.All,
    ];

    private static string SnapshotDir => Path.Combine(RepoPaths.RepoRoot, "tests", "Optimizer.Tests", "snapshots");

    public static TheoryData<string, string> ZooCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var c in BackendTestCase.Discover(RepoPaths.ZooCache, "models"))
        {
            foreach (var level in Levels)
            {
                data.Add(c.Name, LevelName(level));
            }
        }

        return data;
    }

    public static TheoryData<string, string> BuiltInCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in ReplayModels.All.Keys)
        {
            foreach (var level in Levels)
            {
                data.Add(name, LevelName(level));
            }
        }

        return data;
    }

    [ZooReplayTheory]
    [MemberData(nameof(ZooCases))]
    public void ZooModelMatchesSnapshot(string model, string level) =>
        Check(model, level, OnnxModelLoader.Load(Path.Combine(RepoPaths.ZooCache, "models", model, "model.onnx")));

    [Theory]
    [MemberData(nameof(BuiltInCases))]
    public void BuiltInModelMatchesSnapshot(string model, string level) => Check(model, level, ReplayModels.All[model]());

    [Fact]
    public void EveryLevelHasASnapshotPerBuiltInModel()
    {
        foreach (var model in ReplayModels.All.Keys)
        {
            foreach (var level in Levels)
            {
                Assert.True(File.Exists(SnapshotPath(model, LevelName(level))) || Environment.GetEnvironmentVariable("AUTOGLM_UPDATE_SNAPSHOTS") == "1", $"no snapshot for {model} at {LevelName(level)}");
            }
        }
    }

    private static void Check(string model, string levelName, Model graph)
    {
        var level = Levels.Single(l => LevelName(l) == levelName);
        var (_, report) = ModelPreparation.Optimize(graph, [new CpuExecutionProvider()], level, strict: true);
        var actual = new JsonObject
        {
            ["model"] = model,
            ["level"] = levelName,
            ["nodesBefore"] = report.NodesBefore,
            ["nodesAfter"] = report.NodesAfter,
            ["passes"] = new JsonArray(report.Passes.Select(p => (JsonNode)new JsonObject { ["name"] = p.Name, ["rewrites"] = p.Rewrites }).ToArray()),
            ["ops"] = new JsonObject(report.OpsAfter.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
        };
        string text = actual.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
        string path = SnapshotPath(model, levelName);
        if (Environment.GetEnvironmentVariable("AUTOGLM_UPDATE_SNAPSHOTS") == "1")
        {
            Directory.CreateDirectory(SnapshotDir);
            File.WriteAllText(path, text);
            return;
        }

        Assert.True(File.Exists(path), $"no snapshot {path}: run with AUTOGLM_UPDATE_SNAPSHOTS=1 to create it");
        string expected = File.ReadAllText(path);
        if (expected.ReplaceLineEndings() != text.ReplaceLineEndings())
        {
            Assert.Fail($"{model} at level {levelName} no longer optimizes as snapshotted in {path} (AUTOGLM_UPDATE_SNAPSHOTS=1 accepts the new result)\n--- expected ---\n{expected}\n--- actual ---\n{text}");
        }
    }

    private static string SnapshotPath(string model, string level) => Path.Combine(SnapshotDir, $"{model}.{level}.json");

    private static string LevelName(OptimizationLevel level) => level == OptimizationLevel.All ? "all" : level.ToString().ToLowerInvariant();
}

/// <summary>A theory skipped, with the reason shown, when the zoo cache is missing.</summary>
public sealed class ZooReplayTheoryAttribute : TheoryAttribute
{
    public ZooReplayTheoryAttribute()
    {
        if (BackendTestCase.Discover(RepoPaths.ZooCache, "models").Count == 0)
        {
            Skip = $"zoo cache not found at {RepoPaths.ZooCache}/models: build it with `bash scripts/install-test-deps.sh` (or set ZOO_DIR)";
        }
    }
}
