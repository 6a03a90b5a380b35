using System.Text.Json;
using OpenAutoGlm.Backends.Cpu;
using OpenAutoGlm.Core;
using OpenAutoGlm.Optimizer;
using OpenAutoGlm.Runtime;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Runtime.Tests;

/// <summary>Per-node profiling, memory counters and the Chrome trace writer.</summary>
public sealed class ProfilingTests
{
    // a[N,3] + b[3] -> s; Relu(s) -> y; Neg(y) -> z (y and z are outputs).
    private static InferenceSession Chain(bool profiling) => InferenceSession.Create(
        new ModelBuilder()
            .Input("a", DataType.Float32, Dim.Symbolic("N"), 3)
            .Input("b", DataType.Float32, 3)
            .Node("Add", ["a", "b"], ["s"])
            .Node("Relu", ["s"], ["y"])
            .Node("Neg", ["y"], ["z"])
            .Output("y")
            .Output("z")
            .Build(),
        new SessionOptions { Providers = [new CpuExecutionProvider()], EnableProfiling = profiling, OptimizationLevel = OptimizationLevel.None });

    private static Dictionary<string, DataValue> Feeds(int n) => new()
    {
        ["a"] = Tensor.Create(new float[n * 3], n, 3),
        ["b"] = Tensor.Create(new float[] { 1, 2, 3 }, 3),
    };

    [Fact]
    public void ProfilingOffRecordsNothing()
    {
        var session = Chain(profiling: false);
        session.Run(Feeds(2));
        Assert.False(session.Profiler.IsEnabled);
        Assert.Empty(session.Profiler.Runs);
    }

    [Fact]
    public void ProfilingRecordsEveryNodeInOrder()
    {
        var session = Chain(profiling: true);
        int thread = Environment.CurrentManagedThreadId;
        session.Run(Feeds(2));
        session.Run(Feeds(2));

        var runs = session.Profiler.Runs;
        Assert.Equal(2, runs.Count);
        Assert.Equal([0, 1], runs.Select(r => r.Index));
        foreach (var run in runs)
        {
            Assert.Equal(["Add", "Relu", "Neg"], run.Nodes.Select(n => n.OpType));
            Assert.Equal(["Add_0", "Relu_1", "Neg_2"], run.Nodes.Select(n => n.NodeName));
            Assert.All(run.Nodes, n => Assert.Equal("cpu", n.Provider));
            Assert.All(run.Nodes, n => Assert.Equal(thread, n.ThreadId));
            Assert.All(run.Nodes, n => Assert.True(n.ElapsedTicks >= 0));
            Assert.All(run.Nodes, n => Assert.Equal(0, n.Depth));

            // Nodes run one after another inside the run's window.
            for (int i = 1; i < run.Nodes.Count; i++)
            {
                Assert.True(run.Nodes[i].StartTimestamp >= run.Nodes[i - 1].StartTimestamp + run.Nodes[i - 1].ElapsedTicks);
            }

            Assert.True(run.Nodes[0].StartTimestamp >= run.StartTimestamp);
            var last = run.Nodes[^1];
            Assert.True(last.StartTimestamp + last.ElapsedTicks <= run.StartTimestamp + run.ElapsedTicks);
        }

        Assert.True(runs[1].StartTimestamp >= runs[0].StartTimestamp + runs[0].ElapsedTicks);
        Assert.Equal(2, session.Profiler.Drain().Count);
        Assert.Empty(session.Profiler.Runs);
    }

    [Fact]
    public void ProfilerCanBeSwitchedPerRun()
    {
        var session = Chain(profiling: false);
        session.Profiler.IsEnabled = true;
        session.Run(Feeds(1));
        session.Profiler.IsEnabled = false;
        session.Run(Feeds(1));
        Assert.Single(session.Profiler.Runs);
    }

    [Fact]
    public void PeakCountsLiveAllocatedTensorsOnly()
    {
        // N=4: every intermediate is 4*3 floats = 48 bytes. Feeds and the initializer-free graph allocate nothing else.
        // After Add: s live (48). After Relu: s + y (96); s is dropped (its last reader ran). After Neg: y + z (96).
        var session = Chain(profiling: false);
        var stats = new RunStatistics();
        session.Run(Feeds(4), stats);
        Assert.Equal(96, stats.PeakBytes);
        Assert.Equal(144, stats.AllocatedBytes);
        Assert.Equal(96, stats.LiveBytesAtEnd);
        Assert.Equal(96, session.PeakBytes);

        // A larger batch raises the session's peak; a smaller one afterwards does not lower it.
        session.Run(Feeds(8), stats);
        Assert.Equal(192, stats.PeakBytes);
        session.Run(Feeds(1), stats);
        Assert.Equal(24, stats.PeakBytes);
        Assert.Equal(192, session.PeakBytes);
    }

    [Fact]
    public void ValuesWithoutReadersDieRightAfterTheirProducer()
    {
        // s feeds two Relus; "t" has no reader and is not a graph output, so it dies as soon as Relu_2 returns.
        // "s" (48) dies after its last reader, so the peak is s + y + t = 144 while Relu_2 runs; only y is left.
        var model = new ModelBuilder()
            .Input("a", DataType.Float32, 4, 3)
            .Input("b", DataType.Float32, 3)
            .Node("Add", ["a", "b"], ["s"])
            .Node("Relu", ["s"], ["y"])
            .Node("Relu", ["s"], ["t"])
            .Output("y")
            .Build();
        var session = InferenceSession.Create(model, new SessionOptions { Providers = [new CpuExecutionProvider()], OptimizationLevel = OptimizationLevel.None });
        var stats = new RunStatistics();
        session.Run(Feeds(4), stats);
        Assert.Equal(144, stats.AllocatedBytes);
        Assert.Equal(144, stats.PeakBytes);
        Assert.Equal(48, stats.LiveBytesAtEnd);
    }

    [Fact]
    public void SubgraphNodesAreRecordedOneLevelDeeper()
    {
        var thenBranch = new Graph("then");
        thenBranch.Nodes.Add(new Node("Relu", ["x"], ["then_out"], "then_relu"));
        thenBranch.Outputs.Add(new ValueInfo("then_out", null));
        var elseBranch = new Graph("else");
        elseBranch.Nodes.Add(new Node("Neg", ["x"], ["else_out"], "else_neg"));
        elseBranch.Outputs.Add(new ValueInfo("else_out", null));
        var model = new ModelBuilder()
            .Input("x", DataType.Float32, 2)
            .Input("cond", DataType.Bool)
            .Node("If", ["cond"], ["y"], NodeAttribute.Of("then_branch", thenBranch), NodeAttribute.Of("else_branch", elseBranch))
            .Output("y")
            .Build();
        var session = InferenceSession.Create(model, new SessionOptions { Providers = [new CpuExecutionProvider()], EnableProfiling = true, OptimizationLevel = OptimizationLevel.None });
        session.Run(new Dictionary<string, DataValue> { ["x"] = Tensor.Create(new float[] { -1, 2 }, 2), ["cond"] = Tensor.Scalar(false) });

        var nodes = session.Profiler.Runs.Single().Nodes;
        Assert.Equal(["Neg", "If"], nodes.Select(n => n.OpType));
        Assert.Equal([1, 0], nodes.Select(n => n.Depth));
        Assert.Equal("else_neg", nodes[0].NodeName);

        // The summary counts main-graph nodes only, so the If's time is not counted twice.
        var summary = OpTimeSummary.ByOpType(session.Profiler.Runs);
        Assert.Equal("If", Assert.Single(summary).OpType);
        Assert.Equal(1.0, summary[0].FractionOfNodeTime, 6);
    }

    [Fact]
    public void SummaryGroupsByOpTypeAndSharesAddUpToOne()
    {
        var session = Chain(profiling: true);
        for (int i = 0; i < 3; i++)
        {
            session.Run(Feeds(64));
        }

        var summary = OpTimeSummary.ByOpType(session.Profiler.Runs);
        Assert.Equal(["Add", "Neg", "Relu"], summary.Select(s => s.OpType).Order(StringComparer.Ordinal));
        Assert.All(summary, s => Assert.Equal(3, s.Calls));
        Assert.All(summary, s => Assert.Equal(1, s.NodesPerRun));
        Assert.Equal(1.0, summary.Sum(s => s.FractionOfNodeTime), 6);
        Assert.True(summary.Zip(summary.Skip(1)).All(p => p.First.Total >= p.Second.Total));
    }

    [Fact]
    public void ChromeTraceHasOneCompleteEventPerRunAndNode()
    {
        var session = Chain(profiling: true);
        session.Run(Feeds(2));
        session.Run(Feeds(2));
        using var stream = new MemoryStream();
        ChromeTrace.Write(stream, session.Profiler.Runs, session.Profiler.EpochTimestamp);

        using var doc = JsonDocument.Parse(stream.ToArray());
        var events = doc.RootElement.GetProperty("traceEvents").EnumerateArray().ToList();
        Assert.Equal(2 + 6, events.Count);
        Assert.All(events, e => Assert.Equal("X", e.GetProperty("ph").GetString()));
        Assert.All(events, e => Assert.True(e.GetProperty("ts").GetDouble() >= 0));
        Assert.All(events, e => Assert.True(e.GetProperty("dur").GetDouble() >= 0));
        Assert.All(events, e => Assert.Equal(Environment.ProcessId, e.GetProperty("pid").GetInt32()));
        var nodes = events.Where(e => e.GetProperty("cat").GetString() == "node").ToList();
        Assert.Equal(["Add_0", "Relu_1", "Neg_2", "Add_0", "Relu_1", "Neg_2"], nodes.Select(e => e.GetProperty("name").GetString()));
        Assert.Equal("Relu", nodes[1].GetProperty("args").GetProperty("op_type").GetString());
        Assert.Equal(1, nodes[4].GetProperty("args").GetProperty("run").GetInt32());
        var run0 = events.First(e => e.GetProperty("cat").GetString() == "run");
        Assert.Equal(72, run0.GetProperty("args").GetProperty("allocated_bytes").GetInt64());
    }
}
