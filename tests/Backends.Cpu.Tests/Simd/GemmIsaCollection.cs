using OpenAutoGlm.Backends.Cpu.Simd;

namespace OpenAutoGlm.Backends.Cpu.Tests.Simd;

/// <summary>Tests that switch <see cref="Gemm.Isa"/> (process-wide) run alone, never beside other tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GemmIsaCollection
{
    public const string Name = "GemmIsa";

    /// <summary>Every GEMM ISA this machine runs (the scalar oracle included), for theories.</summary>
    public static TheoryData<string> SupportedIsas()
    {
        var data = new TheoryData<string>();
        foreach (var isa in Enum.GetValues<GemmIsa>())
        {
            if (Gemm.IsSupported(isa))
            {
                data.Add(isa.ToString());
            }
        }

        return data;
    }

    /// <summary>Runs <paramref name="body"/> with the GEMM on <paramref name="isa"/>, restoring the detected ISA afterwards.</summary>
    internal static void With(string isa, Action body)
    {
        var saved = Gemm.Isa;
        Gemm.Isa = Enum.Parse<GemmIsa>(isa);
        try
        {
            body();
        }
        finally
        {
            Gemm.Isa = saved;
        }
    }
}
