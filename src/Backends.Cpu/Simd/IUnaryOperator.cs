using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Threading;

namespace OpenAutoGlm.Backends.Cpu.Simd;

/// <summary>
/// An elementwise float function as an operator struct: the scalar form is the oracle; the vector forms
/// must reproduce it. <see cref="UnaryDriver"/> owns the loop, widths and tail.
/// </summary>
internal interface IUnaryOperator
{
    /// <summary>False when the op has no vector form (the driver then runs the scalar loop).</summary>
    static virtual bool Vectorizable => true;

    /// <inheritdoc cref="IVectorUnaryFunction.ParallelGrain"/>
    static virtual int ParallelGrain => UnaryDriver.DefaultGrain;

    static abstract float Invoke(float x);

    static abstract Vector256<float> Invoke(Vector256<float> x);

    static abstract Vector128<float> Invoke(Vector128<float> x);
}

/// <summary>Drives an <see cref="IUnaryOperator"/> over spans: Vector256 blocks, then Vector128, then a scalar tail.</summary>
internal static class UnaryDriver
{
    /// <summary>
    /// Elements per thread below which a cheap (memory-bound) op stays on one thread: ~40 us at ~3 elements/ns, so
    /// waking a pool worker (5-20 us idle) is amortized. The caller also waits for every worker it woke, even one that
    /// arrives after all chunks are done, so on an oversubscribed machine a split costs up to a scheduler slice.
    /// </summary>
    public const int DefaultGrain = 1 << 17;

    /// <summary>Grain of ops that cost a polynomial and an exp per element (~8x a load-op-store).</summary>
    public const int TranscendentalGrain = 1 << 14;

    /// <summary>Set to false (or DOTNET_EnableHWIntrinsic=0) to force the scalar path in tests.</summary>
    internal static bool AllowVectors { get; set; } = true;

    /// <summary>
    /// y = op(x) split into contiguous chunks of at least TOp.ParallelGrain elements on up to <paramref name="degree"/>
    /// threads (chunk boundaries on 8-element multiples, so every chunk takes the same vector/tail path as one call would).
    /// </summary>
    public static unsafe void RunParallel<TOp>(TOp op, ReadOnlySpan<float> x, Span<float> y, int degree)
        where TOp : struct, IVectorUnaryFunction
    {
        if (degree <= 1 || x.Length < 2 * TOp.ParallelGrain)
        {
            Run(op, x, y);
            return;
        }

        if (y.Length < x.Length)
        {
            throw new ArgumentException("destination is shorter than source");
        }

        fixed (float* px = x)
        fixed (float* py = y)
        {
            ParallelFor.Range(x.Length, degree, TOp.ParallelGrain, new Chunk<TOp>(op, px, py), Vector256<float>.Count);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run<TOp>(ReadOnlySpan<float> x, Span<float> y)
        where TOp : struct, IUnaryOperator => Run(default(StaticUnary<TOp>), x, y);

    /// <summary>y = op(x) elementwise; <paramref name="op"/> may carry parameters. x and y may be the same span.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run<TOp>(TOp op, ReadOnlySpan<float> x, Span<float> y)
        where TOp : struct, IVectorUnaryFunction
    {
        if (y.Length < x.Length)
        {
            throw new ArgumentException("destination is shorter than source");
        }

        int i = 0;
        ref float xs = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x);
        ref float ys = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(y);
        if (TOp.Vectorizable && AllowVectors)
        {
            if (TOp.HasVector512 && Vector512.IsHardwareAccelerated)
            {
                for (; i <= x.Length - Vector512<float>.Count; i += Vector512<float>.Count)
                {
                    op.Invoke(Vector512.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ys, (nuint)i);
                }
            }

            if (Vector256.IsHardwareAccelerated)
            {
                for (; i <= x.Length - Vector256<float>.Count; i += Vector256<float>.Count)
                {
                    op.Invoke(Vector256.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ys, (nuint)i);
                }
            }

            if (Vector128.IsHardwareAccelerated)
            {
                for (; i <= x.Length - Vector128<float>.Count; i += Vector128<float>.Count)
                {
                    op.Invoke(Vector128.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ys, (nuint)i);
                }
            }
        }

        for (; i < x.Length; i++)
        {
            Unsafe.Add(ref ys, i) = op.Invoke(Unsafe.Add(ref xs, i));
        }
    }

    private readonly unsafe struct Chunk<TOp>(TOp op, float* x, float* y) : IRangeWork
        where TOp : struct, IVectorUnaryFunction
    {
        public void Invoke(int start, int end) =>
            Run(op, new ReadOnlySpan<float>(x + start, end - start), new Span<float>(y + start, end - start));
    }
}
