using System.Reflection;

namespace OpenAutoGlm.Backends.Cpu.Tests;

/// <summary>
/// <see cref="KernelStatics"/> initializes, before any kernel is compiled, every kernel class whose static switches hot
/// kernel code reads (a method compiled before its class is initialized keeps its vector accumulators on the stack).
/// </summary>
public sealed class KernelStaticsTests
{
    [Fact]
    public void EveryKernelClassWithStaticSwitchesIsInitializedUpFront()
    {
        var listed = KernelStatics.Classes.ToHashSet();
        var missing = typeof(CpuExecutionProvider).Assembly.GetTypes()
            .Where(t => !t.IsGenericTypeDefinition && t.TypeInitializer is not null && !t.Name.Contains('<', StringComparison.Ordinal))
            .Where(t => t.GetProperties(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly).Any(p => p.SetMethod is not null))
            .Where(t => !listed.Contains(t))
            .Select(t => t.FullName)
            .ToList();
        Assert.True(missing.Count == 0, $"kernel classes with static switches not in KernelStatics.Classes: {string.Join(", ", missing)}");
    }

    [Fact]
    public void ListedClassesHaveStaticInitializers()
    {
        foreach (var type in KernelStatics.Classes)
        {
            Assert.True(type.TypeInitializer is not null, $"{type.FullName} has no static initializer: nothing to run up front");
        }
    }
}
