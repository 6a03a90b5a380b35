namespace OpenAutoGlm.Cli;

public static class Program
{
    public static int Main(string[] args) => AutoGlmCli.Run(args, Console.Out, Console.Error);
}
