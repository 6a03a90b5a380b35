using System.Runtime.CompilerServices;

namespace OpenAutoGlm.Backends.Cpu.Simd;

/// <summary>
/// How <see cref="GemmMicroKernel"/> reads its A operand: element (r, p) of the micro-panel's rows r = 0..MR-1 at the
/// current k step p, then <see cref="Next"/> moves to k step p + 1. Implementations are structs the JIT specializes the
/// kernel for (the row index is a constant at every call site), so each read is one broadcast from memory.
/// </summary>
internal interface IGemmAPanel
{
    /// <summary>A[r, p] at the current k step p.</summary>
    float At(int r);

    /// <summary>Advances p by one.</summary>
    void Next();
}

/// <summary>A packed panel (<see cref="GemmPacking.PackA"/>): element (r, p) at a[p * step + r], step = MR.</summary>
internal unsafe struct PackedAPanel(float* a, nint step) : IGemmAPanel
{
    private float* _a = a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly float At(int r) => _a[r];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Next() => _a += step;
}

/// <summary>
/// Rows of a row-major A read in place (no packing): element (r, p) at a[r * lda + p]. Rows are addressed as
/// base pointers for rows 0, 3, 6 and 9 plus 0, lda or 2 * lda, so every read is a single [base + index * 4] operand;
/// rows past the micro-tile's row count are never read (their base pointers may lie outside A).
/// </summary>
internal unsafe struct DirectAPanel(float* a, nint lda) : IGemmAPanel
{
    private float* _a0 = a;
    private float* _a3 = a + (3 * lda);
    private float* _a6 = a + (6 * lda);
    private float* _a9 = a + (9 * lda);
    private readonly nint _l = lda;
    private readonly nint _l2 = 2 * lda;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly float At(int r) => r switch
    {
        0 => _a0[0],
        1 => _a0[_l],
        2 => _a0[_l2],
        3 => _a3[0],
        4 => _a3[_l],
        5 => _a3[_l2],
        6 => _a6[0],
        7 => _a6[_l],
        8 => _a6[_l2],
        9 => _a9[0],
        10 => _a9[_l],
        _ => _a9[_l2],
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Next()
    {
        _a0++;
        _a3++;
        _a6++;
        _a9++;
    }
}
