using System.Runtime.InteropServices;

namespace OpenAutoGlm.Benchmarks;

/// <summary>
/// The GEMM peer: OpenBLAS's cblas_sgemm from Debian's libopenblas0 (<c>apt-get install -y libopenblas0</c>).
/// Native code is allowed here only: the product itself has no native dependency.
/// </summary>
internal static partial class OpenBlas
{
    private const string Library = "libopenblas.so.0";

    private const int RowMajor = 101;
    private const int NoTrans = 111;

    /// <summary>Whether the library loads on this machine (the OpenBLAS benchmarks are skipped otherwise).</summary>
    public static bool IsAvailable { get; } = NativeLibrary.TryLoad(Library, out _);

    /// <summary>C[M,N] = A[M,K] · B[K,N] (row-major, beta 0) on <see cref="SetThreads"/> threads.</summary>
    public static unsafe void Sgemm(int m, int n, int k, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c)
    {
        fixed (float* pa = a, pb = b, pc = c)
        {
            cblas_sgemm(RowMajor, NoTrans, NoTrans, m, n, k, 1f, pa, k, pb, n, 0f, pc, n);
        }
    }

    public static void SetThreads(int threads) => openblas_set_num_threads(threads);

    [LibraryImport(Library)]
    private static unsafe partial void cblas_sgemm(int order, int transA, int transB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc);

    [LibraryImport(Library)]
    private static partial void openblas_set_num_threads(int threads);
}
