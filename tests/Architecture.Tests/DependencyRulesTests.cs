using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace OpenAutoGlm.Architecture.Tests;

/// <summary>
/// Enforces the dependency rules of ARCHITECTURE.md from assembly metadata: each src assembly may reference
/// only the OpenAutoGlm assemblies listed for it, and `unsafe` code only where allowed.
/// </summary>
public sealed class DependencyRulesTests
{
    // An arrow = may reference. Anything else from OpenAutoGlm.* is forbidden.
    private static readonly Dictionary<string, string[]> s_allowed = new()
    {
        ["OpenAutoGlm.Core"] = [],
        ["OpenAutoGlm.Onnx"] = ["OpenAutoGlm.Core"],
        ["OpenAutoGlm.Optimizer"] = ["OpenAutoGlm.Core"],
        ["OpenAutoGlm.Runtime"] = ["OpenAutoGlm.Core", "OpenAutoGlm.Optimizer"],
        ["OpenAutoGlm.Backends.Cpu"] = ["OpenAutoGlm.Runtime", "OpenAutoGlm.Core"],
        ["OpenAutoGlm.Backends.Cuda"] = ["OpenAutoGlm.Runtime", "OpenAutoGlm.Core"],
        ["OpenAutoGlm.Llm"] = ["OpenAutoGlm.Runtime", "OpenAutoGlm.Core", "OpenAutoGlm.Onnx"],
        ["OpenAutoGlm.Serving"] = ["*"],
        ["OpenAutoGlm.Cli"] = ["*"],
    };

    // Third-party packages each assembly may use (BCL is always allowed).
    private static readonly Dictionary<string, string[]> s_allowedPackages = new()
    {
        ["OpenAutoGlm.Core"] = [],
        ["OpenAutoGlm.Onnx"] = ["Google.Protobuf"],
        ["OpenAutoGlm.Optimizer"] = [],
        ["OpenAutoGlm.Runtime"] = [],
        ["OpenAutoGlm.Backends.Cpu"] = ["System.Numerics.Tensors"],
    };

    // Assemblies allowed to contain unsafe code (ARCHITECTURE.md: Backends.*, Runtime's arenas and interop).
    private static readonly HashSet<string> s_unsafeAllowed = ["OpenAutoGlm.Backends.Cpu", "OpenAutoGlm.Backends.Cuda", "OpenAutoGlm.Runtime"];

    public static TheoryData<string> SourceAssemblies()
    {
        var data = new TheoryData<string>();
        foreach (var name in ProductAssemblies())
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SourceAssemblies))]
    public void ReferencesOnlyAllowedProjects(string assemblyName)
    {
        Assert.True(s_allowed.ContainsKey(assemblyName), $"{assemblyName} has no dependency rule: add it to ARCHITECTURE.md and this test");
        var allowed = s_allowed[assemblyName];
        var references = Assembly.Load(assemblyName).GetReferencedAssemblies().Select(a => a.Name!).ToList();
        var forbidden = references
            .Where(r => r.StartsWith("OpenAutoGlm.", StringComparison.Ordinal))
            .Where(r => !allowed.Contains("*") && !allowed.Contains(r))
            .ToList();
        Assert.True(forbidden.Count == 0, $"{assemblyName} references {string.Join(", ", forbidden)}; allowed: [{string.Join(", ", allowed)}]");
    }

    [Theory]
    [MemberData(nameof(SourceAssemblies))]
    public void ReferencesOnlyAllowedPackages(string assemblyName)
    {
        if (!s_allowedPackages.TryGetValue(assemblyName, out var packages))
        {
            return; // composition roots may use any package pinned in Directory.Packages.props
        }

        var references = Assembly.Load(assemblyName).GetReferencedAssemblies().Select(a => a.Name!).ToList();
        var foreign = references
            .Where(r => !r.StartsWith("OpenAutoGlm.", StringComparison.Ordinal) && !IsFramework(r))
            .Where(r => !packages.Contains(r))
            .ToList();
        Assert.True(foreign.Count == 0, $"{assemblyName} references packages {string.Join(", ", foreign)}; allowed: [{string.Join(", ", packages)}]");
    }

    [Theory]
    [MemberData(nameof(SourceAssemblies))]
    public void UnsafeCodeOnlyWhereAllowed(string assemblyName)
    {
        if (s_unsafeAllowed.Contains(assemblyName))
        {
            return;
        }

        Assert.False(IsCompiledUnsafe(assemblyName), $"{assemblyName} is compiled with unsafe code, which ARCHITECTURE.md allows only in Backends.* and Runtime");
    }

    // Assemblies allowed to declare P/Invoke (DllImport/LibraryImport) methods: the providers' interop folders.
    // benchmarks/Benchmarks (OpenBLAS as the GEMM peer) is native too, but it is not a product assembly and
    // nothing in src may reference it.
    private static readonly HashSet<string> s_nativeAllowed = ["OpenAutoGlm.Backends.Cuda"];

    [Theory]
    [MemberData(nameof(SourceAssemblies))]
    public void NativeInteropOnlyWhereAllowed(string assemblyName)
    {
        if (s_nativeAllowed.Contains(assemblyName))
        {
            return;
        }

        var imports = NativeImports(Assembly.Load(assemblyName).Location);
        Assert.True(imports.Count == 0, $"{assemblyName} declares native imports ({string.Join(", ", imports)}); the CPU path has no native dependency and interop lives in Backends.Cuda");
    }

    [Fact]
    public void NoProductAssemblyReferencesTheBenchmarks()
    {
        foreach (var name in ProductAssemblies())
        {
            Assert.DoesNotContain("OpenAutoGlm.Benchmarks", Assembly.Load(name).GetReferencedAssemblies().Select(a => a.Name));
        }

        Assert.DoesNotContain("OpenAutoGlm.Benchmarks", ProductAssemblies());
    }

    [Fact]
    public void NativeImportDetectionSeesCoreLibImports()
    {
        // CoreLib declares many imports (QCalls, libSystem.Native): the detector must see them, or the rule proves nothing.
        Assert.NotEmpty(NativeImports(typeof(object).Assembly.Location));
    }

    private static List<string> NativeImports(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        var md = pe.GetMetadataReader();
        var result = new List<string>();
        foreach (var handle in md.MethodDefinitions)
        {
            var method = md.GetMethodDefinition(handle);
            var import = method.GetImport();
            if (!import.Module.IsNil)
            {
                result.Add($"{md.GetString(method.Name)} from {md.GetString(md.GetModuleReference(import.Module).Name)}");
            }
        }

        return result;
    }

    [Fact]
    public void UnsafeDetectionSeesRuntimeNativeMemory()
    {
        // Runtime holds NativeMemoryManager (unsafe pointers): the detector must see it, or the rule above proves nothing.
        Assert.True(IsCompiledUnsafe("OpenAutoGlm.Runtime"));
    }

    private static bool IsCompiledUnsafe(string assemblyName)
    {
        var path = Assembly.Load(assemblyName).Location;
        using var pe = new PEReader(File.OpenRead(path));
        var md = pe.GetMetadataReader();

        // The C# compiler marks modules compiled with /unsafe with UnverifiableCodeAttribute.
        return md.GetModuleDefinition().GetCustomAttributes()
            .Select(h => md.GetCustomAttribute(h))
            .Any(a => AttributeName(md, a) == "UnverifiableCodeAttribute");
    }

    private static IEnumerable<string> ProductAssemblies()
    {
        var dir = AppContext.BaseDirectory;
        return Directory.EnumerateFiles(dir, "OpenAutoGlm.*.dll")
            .Select(Path.GetFileNameWithoutExtension)
            .Where(n => n is not null && !n.EndsWith(".Tests", StringComparison.Ordinal) && n != "OpenAutoGlm.TestKit")
            .Select(n => n!)
            .Order(StringComparer.Ordinal);
    }

    private static bool IsFramework(string name) =>
        name is "mscorlib" or "netstandard" || name.StartsWith("System", StringComparison.Ordinal) && name != "System.Numerics.Tensors" && name != "System.CommandLine"
        || name.StartsWith("Microsoft.", StringComparison.Ordinal) && !name.StartsWith("Microsoft.Extensions", StringComparison.Ordinal);

    private static string AttributeName(MetadataReader md, CustomAttribute a)
    {
        if (a.Constructor.Kind == HandleKind.MemberReference)
        {
            var member = md.GetMemberReference((MemberReferenceHandle)a.Constructor);
            if (member.Parent.Kind == HandleKind.TypeReference)
            {
                return md.GetString(md.GetTypeReference((TypeReferenceHandle)member.Parent).Name);
            }
        }

        return string.Empty;
    }
}
