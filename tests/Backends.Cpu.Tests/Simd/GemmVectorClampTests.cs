using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Simd;

namespace OpenAutoGlm.Backends.Cpu.Tests.Simd;

/// <summary>
/// The epilogue clamp of every vector width (vmaxps / vminps with the value as the second operand on x86): values land
/// in [lo, hi], NaN stays NaN wherever it sits in the vector, infinities clamp, zeros stay zero; the widths the
/// hardware lacks run their cross-platform fallback.
/// </summary>
public sealed class GemmVectorClampTests
{
    private static readonly float[] s_values =
    [
        float.NaN, -7f, -0f, 0f, 0.5f, 5.99f, 6f, 6.01f, float.PositiveInfinity, float.NegativeInfinity, 1e30f, -1e-30f, 3f, float.NaN, 2.5f, -1f,
    ];

    public static TheoryData<float, float> Bounds => new() { { 0f, 6f }, { 0f, float.PositiveInfinity }, { -1.5f, 0.25f } };

    [Theory]
    [MemberData(nameof(Bounds))]
    public void ClampMatchesTheScalarDefinitionAndKeepsNaN(float lo, float hi)
    {
        var expected = s_values.Select(v => float.IsNaN(v) ? float.NaN : Math.Min(Math.Max(v, lo), hi)).ToArray();
        var v512 = new float[16];
        var v256 = new float[16];
        var v128 = new float[16];
        GemmVector512.Clamp(Vector512.Create(s_values), Vector512.Create(lo), Vector512.Create(hi)).CopyTo(v512);
        for (int i = 0; i < 16; i += 8)
        {
            GemmVector256.Clamp(Vector256.Create(s_values.AsSpan(i, 8)), Vector256.Create(lo), Vector256.Create(hi)).CopyTo(v256.AsSpan(i));
        }

        for (int i = 0; i < 16; i += 4)
        {
            GemmVector128.Clamp(Vector128.Create(s_values.AsSpan(i, 4)), Vector128.Create(lo), Vector128.Create(hi)).CopyTo(v128.AsSpan(i));
        }

        foreach (var (name, actual) in new[] { ("512", v512), ("256", v256), ("128", v128) })
        {
            for (int i = 0; i < 16; i++)
            {
                Assert.True(
                    float.IsNaN(expected[i]) ? float.IsNaN(actual[i]) : actual[i] == expected[i],
                    $"Vector{name} lane {i}: Clamp({s_values[i]}, {lo}, {hi}) = {actual[i]}, expected {expected[i]}");
            }
        }
    }
}
