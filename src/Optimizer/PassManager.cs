using System.Diagnostics;
using OpenAutoGlm.Core;

namespace OpenAutoGlm.Optimizer;

/// <summary>
/// Runs passes up to a level, each once, in order. Before a pass runs the graph is snapshotted (structure
/// deep-copied, tensors shared); a pass that throws is undone from the snapshot, so the graph is exactly as
/// before it, and reported with the node it was rewriting (<see cref="OptimizationException"/> from
/// <see cref="Passes.NodeRewritePass"/>); with <c>strict</c> the failure is rethrown as an
/// <see cref="OptimizationException"/> instead (the graph is still restored). With <c>AUTOGLM_DEBUG</c> set,
/// the graph text before and after every pass that changed something is written to a folder
/// (<see cref="DebugDumps"/>).
/// </summary>
public sealed class PassManager
{
    private readonly List<IGraphPass> _passes;

    public PassManager(IEnumerable<IGraphPass> passes)
    {
        _passes = passes.ToList();
    }

    /// <summary>The built-in passes, in order.</summary>
    public static PassManager Default => new(BuiltInPasses.Create());

    public IReadOnlyList<IGraphPass> Passes => _passes;

    public OptimizationReport Run(Model model, OptimizationLevel level, bool strict = false, PassContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var ctx = (context ?? PassContext.Empty).ForRun();
        var graph = model.Graph;
        var report = new OptimizationReport
        {
            Level = level,
            NodesBefore = graph.CountNodesRecursive(),
            OpsBefore = GraphText.OpHistogram(graph),
        };
        var dumps = DebugDumps.FromEnvironment();
        report.DumpDirectory = dumps?.Directory;
        int step = 0;
        foreach (var pass in _passes)
        {
            if (pass.Level > level || level == OptimizationLevel.None)
            {
                continue;
            }

            step++;
            var snapshot = GraphCopy.Clone(graph);
            var opsets = new Dictionary<string, long>(model.OpsetImports, StringComparer.Ordinal);
            string? before = dumps is null ? null : GraphText.Format(graph);
            ctx.ResetRewrites();
            var sw = Stopwatch.StartNew();
            try
            {
                if (pass.Apply(model, ctx))
                {
                    report.Passes.Add(new PassRecord(pass.Name, ctx.Rewrites, sw.Elapsed));
                    dumps?.Write(step, pass.Name, before!, GraphText.Format(model.Graph));
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Restore(model, graph, snapshot, opsets);
                var (node, message) = ex is OptimizationException oe && oe.PassName == pass.Name
                    ? (oe.NodeDescription, oe.InnerException?.Message ?? oe.Message)
                    : (null, ex.Message);
                if (strict)
                {
                    throw new OptimizationException(pass.Name, node, $"{(ex is OptimizationException ? ex.InnerException?.GetType().Name : ex.GetType().Name)}: {message}", ex);
                }

                report.PassErrors.Add(new PassError(pass.Name, node, message));
            }
        }

        report.NodesAfter = model.Graph.CountNodesRecursive();
        report.OpsAfter = GraphText.OpHistogram(model.Graph);
        return report;
    }

    private static void Restore(Model model, Graph original, Graph snapshot, Dictionary<string, long> opsets)
    {
        model.Graph = original;
        GraphCopy.CopyInto(snapshot, original);
        original.LinkSubgraphs();
        model.OpsetImports.Clear();
        foreach (var (k, v) in opsets)
        {
            model.OpsetImports[k] = v;
        }
    }
}
