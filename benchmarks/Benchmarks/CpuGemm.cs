namespace OpenAutoGlm.Benchmarks;

/// <summary>
/// The one place that names the CPU provider's GEMM entry point (reached through InternalsVisibleTo), so the
/// benchmarks follow a rewrite of Simd/Gemm.cs by changing this adapter only.
/// </summary>
internal static class CpuGemm
{
    /// <summary>C[M,N] = A[M,K] · B[K,N], row-major, beta 0, on up to <paramref name="threads"/> threads of the provider's pool.</summary>
    public static void Sgemm(int m, int n, int k, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int threads) =>
        Backends.Cpu.Simd.Gemm.Sgemm(false, false, m, n, k, 1f, a, k, b, n, 0f, c, n, threads);
}
