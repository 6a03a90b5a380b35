using System.Numerics;
using System.Runtime.Intrinsics;

namespace OpenAutoGlm.Backends.Cpu.Simd;

/// <summary>
/// An arithmetic binary op defined once for every numeric type (generic math) plus float vector forms.
/// <see cref="ElementwiseBinary"/> dispatches on the element type: float runs vectorized, float16/bfloat16
/// compute in float, other numeric types run the generic scalar form.
/// </summary>
internal interface INumericBinaryOperator : IVectorBinaryOperator, IGenericBinaryOperator
{
}

/// <summary>An arithmetic binary op defined once for every numeric type, without vector forms (Mod, Pow, ...).</summary>
internal interface IGenericBinaryOperator
{
    static abstract T Invoke<T>(T a, T b)
        where T : INumber<T>;
}

/// <summary>Adapts an <see cref="IGenericBinaryOperator"/> to one element type.</summary>
internal readonly struct NumericBinary<T, TOp> : IBinaryOperator<T, T>
    where T : INumber<T>
    where TOp : struct, IGenericBinaryOperator
{
    public static T Invoke(T a, T b) => TOp.Invoke(a, b);
}

/// <summary>Vector helpers shared by operator structs.</summary>
internal static class VectorMath
{
    public static Vector256<float> Select(Vector256<float> mask, Vector256<float> ifTrue, Vector256<float> ifFalse) =>
        Vector256.ConditionalSelect(mask, ifTrue, ifFalse);

    public static Vector128<float> Select(Vector128<float> mask, Vector128<float> ifTrue, Vector128<float> ifFalse) =>
        Vector128.ConditionalSelect(mask, ifTrue, ifFalse);
}
