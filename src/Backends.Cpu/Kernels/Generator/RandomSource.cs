using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Generator;

/// <summary>
/// Random number source of the generator ops. With a <c>seed</c> attribute every run starts from that seed
/// (reproducible, and kernels stay immutable); without one each run draws a fresh seed.
/// </summary>
internal readonly struct RandomSource
{
    private readonly int? _seed;

    public RandomSource(AttributeCollection attributes)
    {
        _seed = attributes.Contains("seed") ? BitConverter.SingleToInt32Bits(attributes.GetFloat("seed")) : null;
    }

    public Random Create() => _seed is int s ? new Random(s) : new Random(Random.Shared.Next());

    /// <summary>Fills <paramref name="values"/> with U[low, high).</summary>
    public static void Uniform(Random rng, Span<double> values, double low, double high)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = low + (rng.NextDouble() * (high - low));
        }
    }

    /// <summary>Fills <paramref name="values"/> with N(mean, scale²) by the Box-Muller transform.</summary>
    public static void Normal(Random rng, Span<double> values, double mean, double scale)
    {
        for (int i = 0; i < values.Length; i += 2)
        {
            double u1 = 1.0 - rng.NextDouble(); // (0, 1]: keeps log finite
            double u2 = rng.NextDouble();
            double r = Math.Sqrt(-2.0 * Math.Log(u1));
            values[i] = mean + (scale * r * Math.Cos(2 * Math.PI * u2));
            if (i + 1 < values.Length)
            {
                values[i + 1] = mean + (scale * r * Math.Sin(2 * Math.PI * u2));
            }
        }
    }

    /// <summary>Checks that a random op's output type is a floating-point type.</summary>
    public static DataType CheckFloat(KernelCreationContext context, DataType type) =>
        type is DataType.Float32 or DataType.Float64 or DataType.Float16 or DataType.BFloat16
            ? type
            : throw context.Error($"dtype must be a floating-point type, got {type.Name()}");
}
