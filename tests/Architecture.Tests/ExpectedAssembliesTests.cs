namespace OpenAutoGlm.Architecture.Tests;

public sealed class ExpectedAssembliesTests
{
    [Fact]
    public void EveryFoundationProjectIsChecked()
    {
        var names = DependencyRulesTests.SourceAssemblies().Cast<object[]>().Select(row => (string)row[0]).ToHashSet();
        foreach (var expected in new[] { "OpenAutoGlm.Core", "OpenAutoGlm.Onnx", "OpenAutoGlm.Optimizer", "OpenAutoGlm.Runtime", "OpenAutoGlm.Backends.Cpu", "OpenAutoGlm.Cli" })
        {
            Assert.Contains(expected, names);
        }
    }
}
