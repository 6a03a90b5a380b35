using BenchmarkDotNet.Attributes;

namespace OpenAutoGlm.Benchmarks;

/// <summary>One SGEMM problem C[M,N] = A[M,K] · B[K,N].</summary>
public readonly record struct GemmShape(int M, int K, int N)
{
    /// <summary>2·M·N·K floating-point operations.</summary>
    public double Flops => 2.0 * M * N * K;

    public override string ToString() => $"{M}x{K}x{N}";
}

/// <summary>
/// SGEMM of the managed CPU provider against OpenBLAS on the same buffers: the square 1024³ problem and
/// transformer shapes (M = tokens 1, 8, 32, 128; K, N ∈ {768, 3072} as in BERT-base/GPT-2 projections and
/// MLPs). Both run on <see cref="Threads"/> threads (ours on the CPU provider's pool).
/// </summary>
[MemoryDiagnoser]
public class GemmBenchmarks
{
    private float[] _a = [];
    private float[] _b = [];
    private float[] _c = [];

    public static IEnumerable<GemmShape> Shapes()
    {
        yield return new GemmShape(1024, 1024, 1024);
        foreach (int m in new[] { 1, 8, 32, 128 })
        {
            foreach (int k in new[] { 768, 3072 })
            {
                foreach (int n in new[] { 768, 3072 })
                {
                    yield return new GemmShape(m, k, n);
                }
            }
        }
    }

    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; }

    /// <summary>Threads of both GEMMs (OPENBLAS_NUM_THREADS-like for OpenBLAS); 2 matches the ORT comparison.</summary>
    [Params(2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        _a = Fill(Shape.M * Shape.K, rng);
        _b = Fill(Shape.K * Shape.N, rng);
        _c = new float[Shape.M * Shape.N];
        if (OpenBlas.IsAvailable)
        {
            OpenBlas.SetThreads(Threads);
        }
    }

    [Benchmark(Baseline = true, Description = "autoglm")]
    public void Ours() => CpuGemm.Sgemm(Shape.M, Shape.N, Shape.K, _a, _b, _c, Threads);

    [Benchmark(Description = "OpenBLAS")]
    public void OpenBlasSgemm()
    {
        if (!OpenBlas.IsAvailable)
        {
            throw new InvalidOperationException("libopenblas.so.0 not found: apt-get install -y libopenblas0");
        }

        OpenBlas.Sgemm(Shape.M, Shape.N, Shape.K, _a, _b, _c);
    }

    internal static float[] Fill(int length, Random rng)
    {
        var data = new float[length];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (float)((rng.NextDouble() * 2) - 1);
        }

        return data;
    }
}
