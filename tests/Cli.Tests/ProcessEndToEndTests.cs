using System.Diagnostics;
using OpenAutoGlm.Cli.Npy;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Cli.Tests;

/// <summary>Runs the real executable (<c>dotnet OpenAutoGlm.Cli.dll</c>) in a child process.</summary>
public class ProcessEndToEndTests
{
    [Fact]
    public void Dotnet_cli_dll_runs_a_model_and_writes_npy()
    {
        using var dir = new TempDirectory();
        string model = TestModels.SaveRunModel(dir.Path);
        NpyFile.Write(dir.File("x.npy"), new Core.Tensor<float>(new[] { 1f, -2f, 3f, -4f, 5f, -6f }, [2, 3]));

        var (exit, stdout, stderr) = RunProcess("run", model, "--input", $"x={dir.File("x.npy")}", "--output-dir", dir.File("out"));

        Assert.True(exit == 0, $"exit {exit}\n{stdout}\n{stderr}");
        Assert.Contains("Outputs:", stdout, StringComparison.Ordinal);
        Assert.Equal(new[] { 1f, 0f, 3f, 0f, 5f, 0f }, NpyFile.Read(Path.Combine(dir.File("out"), "y.npy")).AsReadOnlySpan<float>().ToArray());
    }

    [Fact]
    public void Dotnet_cli_dll_reports_errors_on_stderr_with_exit_code()
    {
        var (exit, _, stderr) = RunProcess("run", "/nonexistent/model.onnx");
        Assert.Equal(ExitCodes.Failure, exit);
        Assert.StartsWith("error: ", stderr, StringComparison.Ordinal);
    }

    private static (int Exit, string Stdout, string Stderr) RunProcess(params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "OpenAutoGlm.Cli.dll");
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("autoglm did not exit within 2 minutes");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
