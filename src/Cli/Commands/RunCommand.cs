using System.CommandLine;
using OpenAutoGlm.Cli.Running;

namespace OpenAutoGlm.Cli.Commands;

/// <summary><c>autoglm run [MODEL] [--input NAME=FILE]... [--output-dir DIR] [--seed N]</c>.</summary>
internal static class RunCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var model = new Argument<string?>("MODEL")
        {
            Description = "Path to an .onnx model file; without one, runs a small built-in demo model",
            Arity = ArgumentArity.ZeroOrOne,
        };

        // An optional positional argument would otherwise swallow a mistyped option as the model path.
        model.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && result.Tokens[0].Value.StartsWith('-'))
            {
                result.AddError($"Unrecognized option '{result.Tokens[0].Value}'.");
            }
        });
        var inputs = new Option<string[]>("--input", "-i")
        {
            Description = "An input value NAME=FILE (.npy, or .pb holding an ONNX TensorProto/SequenceProto/OptionalProto); repeatable. Inputs not given get seeded random data",
            HelpName = "NAME=FILE",
        };
        var outputDir = new Option<string?>("--output-dir", "-o")
        {
            Description = "Write each output to DIR/<name>.npy (characters outside [A-Za-z0-9._-] become '_')",
            HelpName = "DIR",
        };
        var seed = new Option<int>("--seed")
        {
            Description = "Seed for random inputs",
            DefaultValueFactory = _ => 0,
            HelpName = "N",
        };
        var command = new Command("run", "Run a model once and print its outputs (min/max/mean, first values) and the time taken")
        {
            model,
            inputs,
            outputDir,
            seed,
        };
        command.SetAction(parse => ModelRunner.Run(
            new RunRequest(parse.GetValue(model), parse.GetValue(inputs) ?? [], parse.GetValue(outputDir), parse.GetValue(seed)),
            stdout,
            stderr));
        return command;
    }
}
