using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace OpenAutoGlm.Backends.Cpu.Simd;

/// <summary>
/// An elementwise float function as an operator struct: the scalar form is the oracle; the vector forms
/// must reproduce it. <see cref="UnaryDriver"/> owns the loop, widths and tail.
/// </summary>
internal interface IUnaryOperator
{
    /// <summary>False when the op has no vector form (the driver then runs the scalar loop).</summary>
    static virtual bool Vectorizable => true;

    static abstract float Invoke(float x);

    static abstract Vector256<float> Invoke(Vector256<float> x);

    static abstract Vector128<float> Invoke(Vector128<float> x);
}

/// <summary>Drives an <see cref="IUnaryOperator"/> over spans: Vector256 blocks, then Vector128, then a scalar tail.</summary>
internal static class UnaryDriver
{
    /// <summary>Set to false (or DOTNET_EnableHWIntrinsic=0) to force the scalar path in tests.</summary>
    internal static bool AllowVectors { get; set; } = true;

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
}
