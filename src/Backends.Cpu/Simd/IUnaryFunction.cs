using System.Numerics;
using System.Runtime.Intrinsics;

namespace OpenAutoGlm.Backends.Cpu.Simd;

/// <summary>
/// An elementwise float32 function as an operator struct that may carry parameters (alpha, bounds) in readonly
/// fields; parameterless ops are empty structs. The scalar form is the oracle and the vector forms must
/// reproduce it. <see cref="UnaryDriver"/> owns the loop, widths and tail.
/// </summary>
internal interface IVectorUnaryFunction
{
    /// <summary>False when the op has no vector form (the driver then runs the scalar loop only).</summary>
    static virtual bool Vectorizable => true;

    /// <summary>
    /// The fewest elements worth a thread of their own (about 5 us of work): memory-bound ops keep the default,
    /// ops that evaluate a polynomial or exp per element (erf, tanh, sigmoid) declare a smaller grain.
    /// </summary>
    static virtual int ParallelGrain => UnaryDriver.DefaultGrain;

    /// <summary>True when the op implements <see cref="Invoke(Vector512{float})"/> (the driver then uses 512-bit vectors where accelerated).</summary>
    static virtual bool HasVector512 => false;

    float Invoke(float x);

    Vector256<float> Invoke(Vector256<float> x);

    Vector128<float> Invoke(Vector128<float> x);

    /// <summary>The 512-bit form; called only when <see cref="HasVector512"/> is true.</summary>
    Vector512<float> Invoke(Vector512<float> x) => throw new NotSupportedException("this op has no 512-bit form");
}

/// <summary>A float function that also has a float64 form (float16/bfloat16 compute through float32).</summary>
internal interface IFloatUnaryFunction : IVectorUnaryFunction
{
    double Invoke(double x);
}

/// <summary>A function defined once for every numeric type (generic math) plus the float32 vector forms.</summary>
internal interface INumericUnaryFunction : IVectorUnaryFunction
{
    T Invoke<T>(T x)
        where T : INumber<T>;
}

/// <summary>Adapts a static <see cref="IUnaryOperator"/> to the instance-based driver.</summary>
internal readonly struct StaticUnary<TOp> : IVectorUnaryFunction
    where TOp : struct, IUnaryOperator
{
    public static bool Vectorizable => TOp.Vectorizable;

    public static int ParallelGrain => TOp.ParallelGrain;

    public float Invoke(float x) => TOp.Invoke(x);

    public Vector256<float> Invoke(Vector256<float> x) => TOp.Invoke(x);

    public Vector128<float> Invoke(Vector128<float> x) => TOp.Invoke(x);
}
