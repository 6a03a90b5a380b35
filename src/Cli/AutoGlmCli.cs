using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Reflection;
using OpenAutoGlm.Cli.Commands;
using OpenAutoGlm.Core;

namespace OpenAutoGlm.Cli;

/// <summary>Builds and runs the autoglm command tree. Output goes to the given writers so tests can capture it.</summary>
public static class AutoGlmCli
{
    /// <summary>The tool's version (assembly informational version without the source-control suffix).</summary>
    public static string Version { get; } =
        (typeof(AutoGlmCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0").Split('+')[0];

    /// <summary>
    /// Runs one command line. Exit codes (<see cref="ExitCodes"/>): 0 success, 1 model/runtime/I-O error,
    /// 2 usage error (bad arguments, unknown input, dtype/shape mismatch, unreadable input file).
    /// Errors print <c>error: &lt;message&gt;</c> to <paramref name="stderr"/>.
    /// </summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        var root = BuildRootCommand(stdout, stderr);
        var parse = root.Parse(args.Length == 0 ? ["--help"] : args);
        if (parse.Errors.Count > 0 && parse.Action is not HelpAction)
        {
            foreach (var e in parse.Errors)
            {
                stderr.WriteLine($"error: {e.Message}");
            }

            stderr.WriteLine("Run 'autoglm --help' for usage.");
            return ExitCodes.Usage;
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (AutoGlmException ex)
        {
            stderr.WriteLine($"error: {ex.Message}");
            return IsUsageError(ex) ? ExitCodes.Usage : ExitCodes.Failure;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"error: {ex.Message}");
            return ExitCodes.Failure;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Anything else is a bug in the engine: keep the stack trace for the report.
            stderr.WriteLine($"error: internal error ({ex.GetType().Name}): {ex.Message}");
            stderr.WriteLine(ex.StackTrace);
            return ExitCodes.Failure;
        }
    }

    /// <summary>Errors in what the user typed or the input files they named, as opposed to the model or runtime.</summary>
    internal static bool IsUsageError(AutoGlmException ex) => ex is UsageException or InvalidInputException or NpyFormatException;

    /// <summary>
    /// A plain command named "autoglm" as the root (a RootCommand takes its name from the host executable,
    /// which is "dotnet" or the test host), with the help and version options a RootCommand would add.
    /// </summary>
    private static Command BuildRootCommand(TextWriter stdout, TextWriter stderr)
    {
        return new Command("autoglm", "Run, inspect and optimize ONNX models with Open-AutoGLM. 'autoglm run' with no model runs a built-in demo.")
        {
            new HelpOption { Recursive = true },
            new VersionOption { Action = new PrintVersionAction(stdout) },
            RunCommand.Create(stdout, stderr),
            InspectCommand.Create(stdout),
            BenchCommand.Create(stdout, stderr),
            OptimizeCommand.Create(stdout),
        };
    }

    private sealed class PrintVersionAction : SynchronousCommandLineAction
    {
        private readonly TextWriter _stdout;

        public PrintVersionAction(TextWriter stdout) => _stdout = stdout;

        public override int Invoke(ParseResult parseResult)
        {
            _stdout.WriteLine($"autoglm {Version}");
            return ExitCodes.Success;
        }
    }
}
