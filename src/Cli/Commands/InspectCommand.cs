using System.CommandLine;
using OpenAutoGlm.Cli.Inspect;

namespace OpenAutoGlm.Cli.Commands;

/// <summary><c>autoglm inspect MODEL [--json] [--values]</c>.</summary>
internal static class InspectCommand
{
    public static Command Create(TextWriter stdout)
    {
        var model = new Argument<string>("MODEL") { Description = "Path to an .onnx model file" };
        var json = new Option<bool>("--json") { Description = "Print one JSON document (inputs, outputs, opsets, ops, unsupported ops, parameters, every value's inferred shape)" };
        var values = new Option<bool>("--values") { Description = "Also list every intermediate value with its inferred dtype and shape (text mode)" };
        var command = new Command("inspect", "Show a model's inputs, outputs, opsets, op histogram, ops the CPU provider cannot run, parameter count and inferred shapes")
        {
            model,
            json,
            values,
        };
        command.SetAction(parse => InspectHandler.Run(parse.GetValue(model)!, parse.GetValue(json), parse.GetValue(values), stdout));
        return command;
    }
}
