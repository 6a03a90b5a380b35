using Spectre.Console;

namespace OpenAutoGlm.Cli.Rendering;

/// <summary>Creates Spectre consoles that render to a given writer (colour only on a real terminal).</summary>
internal static class ConsoleFactory
{
    /// <summary>Width used when the writer is not a terminal (files, pipes, tests), so tables do not wrap.</summary>
    public const int RedirectedWidth = 160;

    public static IAnsiConsole Create(TextWriter writer)
    {
        bool terminal = ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (!terminal)
        {
            console.Profile.Width = RedirectedWidth;
        }

        return console;
    }
}
