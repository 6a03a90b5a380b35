using System.CommandLine;
using OpenAutoGlm.Cli.Optimize;

namespace OpenAutoGlm.Cli.Commands;

/// <summary><c>autoglm optimize IN -o OUT [--level none|basic|extended|all] [--report] [--strict]</c>.</summary>
internal static class OptimizeCommand
{
    public static Command Create(TextWriter stdout)
    {
        var input = new Argument<string>("IN") { Description = "Path to an .onnx model file" };
        var output = new Option<string>("--output", "-o")
        {
            Description = "Where to write the optimized model (standard ONNX; fused ops in domain ai.autoglm). It loads back and runs without re-optimizing",
            HelpName = "OUT",
            Required = true,
        };
        var level = new Option<string>("--level")
        {
            Description = "How far to optimize: basic (folding, eliminations, BatchNorm folds), extended (adds fusions the CPU provider claims), all",
            DefaultValueFactory = _ => "basic",
            HelpName = "LEVEL",
        };
        level.AcceptOnlyFromAmong("none", "basic", "extended", "all");
        var report = new Option<bool>("--report") { Description = "Print the passes that fired (with rewrite counts) and the op counts before and after" };
        var strict = new Option<bool>("--strict") { Description = "Fail when a pass throws instead of skipping it" };
        var command = new Command("optimize", "Optimize a model for the CPU provider and write it as a standard ONNX file")
        {
            input,
            output,
            level,
            report,
            strict,
        };
        command.SetAction(parse => OptimizeHandler.Run(
            new OptimizeRequest(parse.GetValue(input)!, parse.GetValue(output)!, OptimizeHandler.ParseLevel(parse.GetValue(level)!), parse.GetValue(report), parse.GetValue(strict)),
            stdout));
        return command;
    }
}
