using System.Diagnostics;
using OpenAutoGlm.Backends.Cpu;
using OpenAutoGlm.Cli.Demo;
using OpenAutoGlm.Cli.Rendering;
using OpenAutoGlm.Core;
using OpenAutoGlm.Onnx;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Cli.Running;

/// <summary>What <c>autoglm run</c> was asked to do; a null model path means the built-in demo model.</summary>
internal sealed record RunRequest(string? ModelPath, IReadOnlyList<string> Inputs, string? OutputDirectory, int Seed);

/// <summary>
/// Runs a model once on the CPU provider: loads given inputs, fills the rest with seeded random data,
/// prints every input and output with a summary and the time taken, and optionally writes outputs as .npy.
/// </summary>
internal static class ModelRunner
{
    public static int Run(RunRequest request, TextWriter stdout, TextWriter stderr)
    {
        // Parse --input before loading anything so syntax errors surface first.
        var specs = request.Inputs.Select(InputSpec.Parse).ToList();

        Model model;
        if (request.ModelPath is null)
        {
            stdout.WriteLine($"Model: {DemoModel.Description}");
            stdout.WriteLine("       (pass a model file to run your own: autoglm run model.onnx)");
            model = DemoModel.Create();
        }
        else
        {
            stdout.WriteLine($"Model: {request.ModelPath}");
            model = OnnxModelLoader.Load(request.ModelPath);
        }

        var session = InferenceSession.Create(model, new SessionOptions { Providers = [new CpuExecutionProvider()] });
        var inputs = InputLoader.Load(specs, session.Inputs.Concat(session.OverridableInitializers).ToList());
        var origins = specs.ToDictionary(s => s.Name, s => $"from {s.Path}", StringComparer.Ordinal);
        for (int i = 0; i < session.Inputs.Count; i++)
        {
            var input = session.Inputs[i];
            if (!inputs.ContainsKey(input.Name))
            {
                inputs[input.Name] = RandomInputs.Create(input, i, request.Seed);
                origins[input.Name] = $"random, seed {request.Seed}";
            }
        }

        int width = inputs.Keys.Concat(session.Outputs.Select(o => o.Name)).Max(n => (int?)n.Length) ?? 0;
        stdout.WriteLine("Inputs:");
        if (inputs.Count == 0)
        {
            stdout.WriteLine("  (none)");
        }

        foreach (var (name, value) in inputs)
        {
            stdout.WriteLine($"  {name.PadRight(width)}  {ValueSummary.Describe(value)}  ({origins[name]})");
        }

        var sw = Stopwatch.StartNew();
        var outputs = session.Run(inputs);
        sw.Stop();

        stdout.WriteLine("Outputs:");
        foreach (var (name, value) in outputs)
        {
            stdout.WriteLine($"  {name.PadRight(width)}  {ValueSummary.Describe(value)}");
        }

        stdout.WriteLine($"Ran in {Formatting.Milliseconds(sw.Elapsed)} on {session.Options.Providers[0].Device.Name} (session created in {Formatting.Milliseconds(session.CreationTime)})");

        if (request.OutputDirectory is { } dir)
        {
            var notes = new List<string>();
            int files = 0;
            foreach (var (name, value) in outputs)
            {
                files += OutputFiles.Write(dir, name, value, notes).Count;
            }

            foreach (var note in notes)
            {
                stderr.WriteLine($"warning: {note}");
            }

            stdout.WriteLine($"Wrote {files} .npy file{(files == 1 ? string.Empty : "s")} to {dir}");
        }

        return ExitCodes.Success;
    }
}
