using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;

namespace OpenAutoGlm.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project benchmarks/Benchmarks -- --filter '*Gemm*'</c> (BenchmarkDotNet's switcher:
/// <c>--list flat</c>, <c>--job short</c>, <c>--filter</c>). Every benchmark reports allocated bytes per operation.
/// <c>-- ab MODEL.onnx ...</c> runs the in-process A/B of a whole model instead (<see cref="ModelAb"/>).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "ab")
        {
            return ModelAb.Run(args[1..]);
        }

        var config = DefaultConfig.Instance.AddDiagnoser(MemoryDiagnoser.Default);
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return summaries.Any(s => s.HasCriticalValidationErrors) ? 1 : 0;
    }
}
