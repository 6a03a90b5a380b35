using System.Reflection;
using OpenAutoGlm.Core;

namespace OpenAutoGlm.Backends.Cpu.Tests;

/// <summary>Every registered CPU kernel has shape inference and a reference test class marked [OpTest].</summary>
public sealed class CompletenessTests
{
    private static IEnumerable<(string Domain, string OpType)> RegisteredOps => CpuExecutionProvider.Registry.Ops;

    [Fact]
    public void EveryKernelHasShapeInference()
    {
        var missing = RegisteredOps.Where(op => !OpSchemas.Has(op.Domain, op.OpType)).Select(Format).ToList();
        Assert.True(missing.Count == 0, $"ops with a CPU kernel but no shape inference: {string.Join(", ", missing)}");
    }

    [Fact]
    public void EveryKernelHasAReferenceTest()
    {
        var tested = typeof(CompletenessTests).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes<OpTestAttribute>())
            .Select(a => (Node.NormalizeDomain(a.Domain), a.OpType))
            .ToHashSet();
        var missing = RegisteredOps.Where(op => !tested.Contains(op)).Select(Format).ToList();
        Assert.True(missing.Count == 0, $"ops with a CPU kernel but no [OpTest] test class: {string.Join(", ", missing)}");
    }

    private static string Format((string Domain, string OpType) op) => op.Domain.Length == 0 ? op.OpType : $"{op.Domain}.{op.OpType}";
}
