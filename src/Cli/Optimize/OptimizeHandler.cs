using System.Globalization;
using OpenAutoGlm.Backends.Cpu;
using OpenAutoGlm.Cli.Rendering;
using OpenAutoGlm.Onnx;
using OpenAutoGlm.Optimizer;
using OpenAutoGlm.Runtime;
using Spectre.Console;

namespace OpenAutoGlm.Cli.Optimize;

/// <summary>What <c>autoglm optimize</c> was asked to do.</summary>
internal sealed record OptimizeRequest(string InputPath, string OutputPath, OptimizationLevel Level, bool Report, bool Strict);

/// <summary>
/// <c>autoglm optimize</c>: load, prepare exactly as a CPU session would (validate, infer shapes, run the passes
/// with the CPU provider's evaluator and capability query), write standard ONNX, print a summary and optionally
/// the report tables. Loading the result with <c>OptimizationLevel.None</c> runs it as written.
/// </summary>
internal static class OptimizeHandler
{
    public static OptimizationLevel ParseLevel(string level) => level switch
    {
        "none" => OptimizationLevel.None,
        "basic" => OptimizationLevel.Basic,
        "extended" => OptimizationLevel.Extended,
        "all" => OptimizationLevel.All,
        _ => throw new UsageException($"unknown optimization level '{level}': use none, basic, extended or all"),
    };

    public static int Run(OptimizeRequest request, TextWriter stdout)
    {
        if (string.Equals(Path.GetFullPath(request.InputPath), Path.GetFullPath(request.OutputPath), StringComparison.Ordinal))
        {
            throw new UsageException($"the output '{request.OutputPath}' would overwrite the input model; choose another path");
        }

        var model = OnnxModelLoader.Load(request.InputPath);
        var (_, report) = ModelPreparation.Optimize(model, [new CpuExecutionProvider()], request.Level, request.Strict);
        OnnxModelSaver.Save(model, request.OutputPath);

        string level = request.Level == OptimizationLevel.All ? "all" : request.Level.ToString().ToLowerInvariant();
        stdout.WriteLine($"Optimized {request.InputPath} (level {level}): {report.NodesBefore} -> {report.NodesAfter} nodes, {report.Passes.Count} pass{(report.Passes.Count == 1 ? string.Empty : "es")} fired");
        foreach (var error in report.PassErrors)
        {
            stdout.WriteLine($"warning: pass skipped: {error}");
        }

        if (request.Report)
        {
            Render(report, ConsoleFactory.Create(stdout));
        }

        stdout.WriteLine($"Wrote {request.OutputPath}");
        return ExitCodes.Success;
    }

    private static void Render(OptimizationReport report, IAnsiConsole console)
    {
        var passes = new Table().Title("Passes fired").AddColumns("Pass", "Rewrites", "ms");
        passes.Columns[1].RightAligned();
        passes.Columns[2].RightAligned();
        foreach (var p in report.Passes)
        {
            passes.AddRow(Markup.Escape(p.Name), p.Rewrites.ToString(CultureInfo.InvariantCulture), p.Elapsed.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture));
        }

        if (report.Passes.Count == 0)
        {
            passes.AddRow("(none)", string.Empty, string.Empty);
        }

        console.Write(passes);

        var ops = new Table().Title("Operators").AddColumns("Op", "Before", "After", "Change");
        for (int i = 1; i < 4; i++)
        {
            ops.Columns[i].RightAligned();
        }

        foreach (var op in report.OpsBefore.Keys.Union(report.OpsAfter.Keys).Order(StringComparer.Ordinal))
        {
            int before = report.OpsBefore.GetValueOrDefault(op);
            int after = report.OpsAfter.GetValueOrDefault(op);
            string change = after == before ? string.Empty : (after - before).ToString("+0;-0", CultureInfo.InvariantCulture);
            ops.AddRow(Markup.Escape(op), before.ToString(CultureInfo.InvariantCulture), after.ToString(CultureInfo.InvariantCulture), change);
        }

        ops.AddRow("total", report.NodesBefore.ToString(CultureInfo.InvariantCulture), report.NodesAfter.ToString(CultureInfo.InvariantCulture), (report.NodesAfter - report.NodesBefore).ToString("+0;-0;0", CultureInfo.InvariantCulture));
        console.Write(ops);
    }
}
