namespace OpenAutoGlm.Cli.Tests;

public class CliBasicsTests
{
    [Fact]
    public void Version_prints_the_tool_version()
    {
        var result = CliHarness.Run("--version");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"autoglm {AutoGlmCli.Version}", result.Stdout.Trim());
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Help_lists_the_commands(string flag)
    {
        var result = CliHarness.Run(flag);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("autoglm [command] [options]", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("run", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("inspect", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("optimize", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void No_arguments_prints_help()
    {
        var result = CliHarness.Run();
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_help_documents_its_options()
    {
        var result = CliHarness.Run("run", "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("autoglm run [<MODEL>] [options]", result.Stdout, StringComparison.Ordinal);
        foreach (var option in new[] { "--input <NAME=FILE>", "--output-dir <DIR>", "--seed <N>" })
        {
            Assert.Contains(option, result.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Inspect_help_documents_its_options()
    {
        var result = CliHarness.Run("inspect", "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("autoglm inspect <MODEL> [options]", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("--json", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("--values", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Optimize_help_documents_its_options()
    {
        var result = CliHarness.Run("optimize", "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("autoglm optimize <IN> [options]", result.Stdout, StringComparison.Ordinal);
        foreach (var option in new[] { "--output <OUT>", "--level <LEVEL>", "--report", "--strict" })
        {
            Assert.Contains(option, result.Stdout, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("optimize")]
    [InlineData("inspect")]
    [InlineData("run", "--no-such-option")]
    public void Parse_errors_exit_with_2(params string[] args)
    {
        var result = CliHarness.Run(args);
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.StartsWith("error: ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("autoglm --help", result.Stderr, StringComparison.Ordinal);
    }
}
