using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace OpenAutoGlm.Backends.Cpu.Simd;

/// <summary>The instruction set a packed SGEMM runs on; it fixes the micro-tile (MR x NR) and so the packed layouts.</summary>
internal enum GemmIsa
{
    /// <summary>No usable vectors: the scalar oracle loop.</summary>
    Scalar,

    /// <summary>Vector128 (SSE on x64, AdvSimd on ARM64): 6 x 8 micro-tile.</summary>
    Vector128,

    /// <summary>Vector256 with FMA (AVX2): 6 x 16 micro-tile.</summary>
    Avx2,

    /// <summary>Vector512 (AVX-512F): 12 x 32 micro-tile.</summary>
    Avx512,
}

/// <summary>
/// Vector operations of one width for the GEMM micro-kernel, as static members of an operator struct so the
/// kernel is written once and specialized per width by the JIT. A micro-tile is <see cref="Rows"/> rows by two
/// vectors of columns (NR = 2 * <see cref="Width"/>).
/// </summary>
internal unsafe interface IGemmVector<TV>
    where TV : struct
{
    /// <summary>Floats per vector.</summary>
    static abstract int Width { get; }

    /// <summary>MR: rows of the micro-tile (accumulators = 2 * Rows, chosen to fit the register file).</summary>
    static abstract int Rows { get; }

    static abstract TV Load(float* p);

    static abstract void Store(float* p, TV v);

    static abstract TV Broadcast(float value);

    /// <summary>a * b + c (fused where the hardware has FMA).</summary>
    static abstract TV MultiplyAdd(TV a, TV b, TV c);

    static abstract TV Multiply(TV a, TV b);

    static abstract TV Add(TV a, TV b);

    /// <summary>Lane-wise maximum; NaN in either operand gives NaN (IEEE 754-2019 maximum).</summary>
    static abstract TV Max(TV a, TV b);

    /// <summary>Lane-wise minimum; NaN in either operand gives NaN.</summary>
    static abstract TV Min(TV a, TV b);

    /// <summary>
    /// v limited to [lo, hi] (lo and hi not NaN), NaN in v staying NaN: the fused Relu / Clip of the epilogues. On x86 it
    /// is one vmaxps and one vminps with v as the second operand (the operand those return when either is NaN); the
    /// IEEE 754-2019 <see cref="Max"/> / <see cref="Min"/> are three instructions each there (vrangeps and two
    /// vfixupimmps with AVX-512), a third of a 16-channel 1x1 convolution tile's instructions and more than half a
    /// depthwise one's. A -0 input may come out as -0 instead of +0 (equal values).
    /// </summary>
    static abstract TV Clamp(TV v, TV lo, TV hi);
}

/// <summary>The GEMM's vector set plus a stride-2 (even lanes) load, for the depthwise, pooling and im2col paths.</summary>
internal unsafe interface IStridedVector<TV> : IGemmVector<TV>
    where TV : struct
{
    /// <summary>Width floats p[0], p[2], ..., p[2 * (Width - 1)] (reads 2 * Width floats).</summary>
    static abstract TV LoadEven(float* p);
}

internal readonly unsafe struct GemmVector512 : IStridedVector<Vector512<float>>
{
    public static int Width => 16;

    public static int Rows => 12;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(float* p) => Vector512.Load(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* p, Vector512<float> v) => Vector512.Store(v, p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Avx512F.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Max(Vector512<float> a, Vector512<float> b) => Vector512.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Min(Vector512<float> a, Vector512<float> b) => Vector512.Min(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Clamp(Vector512<float> v, Vector512<float> lo, Vector512<float> hi) =>
        Avx512F.IsSupported ? Avx512F.Min(hi, Avx512F.Max(lo, v)) : Vector512.Min(Vector512.Max(v, lo), hi);

    /// <summary>The even lanes of two consecutive vectors (one vpermt2ps).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LoadEven(float* p) =>
        Avx512F.PermuteVar16x32x2(Vector512.Load(p), Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30), Vector512.Load(p + 16));
}

internal readonly unsafe struct GemmVector256 : IStridedVector<Vector256<float>>
{
    public static int Width => 8;

    public static int Rows => 6;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(float* p) => Vector256.Load(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* p, Vector256<float> v) => Vector256.Store(v, p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : (a * b) + c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Max(Vector256<float> a, Vector256<float> b) => Vector256.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Min(Vector256<float> a, Vector256<float> b) => Vector256.Min(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Clamp(Vector256<float> v, Vector256<float> lo, Vector256<float> hi) =>
        Avx.IsSupported ? Avx.Min(hi, Avx.Max(lo, v)) : Vector256.Min(Vector256.Max(v, lo), hi);

    /// <summary>The even lanes of two consecutive vectors: each half's even lanes to its low 128 bits, then both low halves (AVX2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LoadEven(float* p)
    {
        var evenFirst = Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7);
        var a = Avx2.PermuteVar8x32(Vector256.Load(p), evenFirst);
        var b = Avx2.PermuteVar8x32(Vector256.Load(p + 8), evenFirst);
        return Avx.Permute2x128(a, b, 0x20);
    }
}

/// <summary>Vector128 through the cross-platform API (SSE/FMA on x64, AdvSimd FMLA on ARM64 via Vector128.FusedMultiplyAdd).</summary>
internal readonly unsafe struct GemmVector128 : IGemmVector<Vector128<float>>
{
    public static int Width => 4;

    public static int Rows => 6;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(float* p) => Vector128.Load(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* p, Vector128<float> v) => Vector128.Store(v, p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Broadcast(float value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) =>
        Fma.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported ? Vector128.FusedMultiplyAdd(a, b, c) : (a * b) + c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Multiply(Vector128<float> a, Vector128<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Max(Vector128<float> a, Vector128<float> b) => Vector128.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Min(Vector128<float> a, Vector128<float> b) => Vector128.Min(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Clamp(Vector128<float> v, Vector128<float> lo, Vector128<float> hi) =>
        Sse.IsSupported ? Sse.Min(hi, Sse.Max(lo, v)) : Vector128.Min(Vector128.Max(v, lo), hi);
}

/// <summary>A compile-time row count (1..12) for the micro-kernel: the JIT drops the accumulators of absent rows.</summary>
internal interface IGemmRows
{
    static abstract int Count { get; }
}

/// <summary>
/// How the micro-kernel reads A: a packed panel (MR floats per k, one per row) or, <see cref="Direct"/>, op(A) in place
/// (row-major, rows lda floats apart, k contiguous).
/// </summary>
internal interface IGemmAOperand
{
    static abstract bool Direct { get; }
}

#pragma warning disable SA1649, SA1402 // tiny marker structs live together
internal readonly struct GemmPackedA : IGemmAOperand { public static bool Direct => false; }
internal readonly struct GemmDirectA : IGemmAOperand { public static bool Direct => true; }
internal readonly struct GemmRows1 : IGemmRows { public static int Count => 1; }
internal readonly struct GemmRows2 : IGemmRows { public static int Count => 2; }
internal readonly struct GemmRows3 : IGemmRows { public static int Count => 3; }
internal readonly struct GemmRows4 : IGemmRows { public static int Count => 4; }
internal readonly struct GemmRows5 : IGemmRows { public static int Count => 5; }
internal readonly struct GemmRows6 : IGemmRows { public static int Count => 6; }
internal readonly struct GemmRows7 : IGemmRows { public static int Count => 7; }
internal readonly struct GemmRows8 : IGemmRows { public static int Count => 8; }
internal readonly struct GemmRows9 : IGemmRows { public static int Count => 9; }
internal readonly struct GemmRows10 : IGemmRows { public static int Count => 10; }
internal readonly struct GemmRows11 : IGemmRows { public static int Count => 11; }
internal readonly struct GemmRows12 : IGemmRows { public static int Count => 12; }
#pragma warning restore SA1649, SA1402
