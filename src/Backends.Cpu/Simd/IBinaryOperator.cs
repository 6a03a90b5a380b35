using System.Runtime.Intrinsics;

namespace OpenAutoGlm.Backends.Cpu.Simd;

/// <summary>An elementwise binary function from <typeparamref name="TIn"/> pairs to <typeparamref name="TOut"/>.</summary>
internal interface IBinaryOperator<TIn, TOut>
{
    static abstract TOut Invoke(TIn a, TIn b);
}

/// <summary>A float binary operator with vector forms (used by the broadcast driver's contiguous fast paths).</summary>
internal interface IVectorBinaryOperator : IBinaryOperator<float, float>
{
    static abstract Vector256<float> Invoke(Vector256<float> a, Vector256<float> b);

    static abstract Vector128<float> Invoke(Vector128<float> a, Vector128<float> b);
}
