using System.Numerics;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Reduction;

/// <summary>
/// A reduction as map / combine / finish: y = Finish(Combine(Map(x0), Map(x1), ...), count). The generic forms
/// serve every numeric dtype; the float row forms are the vectorized paths of <see cref="ReduceDriver"/>.
/// </summary>
internal interface IReduceOperator
{
    /// <summary>The result of reducing an empty set (0 for sums, 1 for products, -inf for max, ...).</summary>
    static abstract double EmptyValue { get; }

    static abstract T Map<T>(T x)
        where T : INumber<T>;

    static abstract T Combine<T>(T acc, T x)
        where T : INumber<T>;

    static abstract T Finish<T>(T acc, int count)
        where T : INumber<T>;

    /// <summary>Combine over Map of a contiguous row (before Finish).</summary>
    static abstract float ReduceRow(ReadOnlySpan<float> row);

    /// <summary>acc[i] = Combine(acc[i], Map(row[i])).</summary>
    static abstract void CombineRow(Span<float> acc, ReadOnlySpan<float> row);

    /// <summary>dst[i] = Map(row[i]).</summary>
    static abstract void MapRow(ReadOnlySpan<float> row, Span<float> dst);
}
