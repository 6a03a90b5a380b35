using System.Text.Json;
using OpenAutoGlm.Backends.Cpu;
using OpenAutoGlm.Cli.Json;
using OpenAutoGlm.Cli.Rendering;
using OpenAutoGlm.Onnx;

namespace OpenAutoGlm.Cli.Inspect;

/// <summary><c>autoglm inspect</c>: load, analyse, print tables or one JSON document.</summary>
internal static class InspectHandler
{
    public static int Run(string modelPath, bool json, bool showValues, TextWriter stdout)
    {
        var model = OnnxModelLoader.Load(modelPath);
        var report = ModelInspector.Inspect(model, modelPath, new CpuExecutionProvider());
        if (json)
        {
            stdout.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Default.InspectReport));
        }
        else
        {
            InspectTextRenderer.Render(report, ConsoleFactory.Create(stdout), showValues);
        }

        return ExitCodes.Success;
    }
}
