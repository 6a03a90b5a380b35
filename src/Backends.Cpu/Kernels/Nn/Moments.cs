using System.Numerics;
using System.Numerics.Tensors;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nn;

/// <summary>Mean and population variance of a span, accumulated in double (two passes: stable for large offsets).</summary>
internal static class Moments
{
    public static (double Mean, double Variance) Of<T>(ReadOnlySpan<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.IsEmpty)
        {
            return (0, 0);
        }

        double mean = double.CreateChecked(TensorPrimitives.Sum(x)) / x.Length;
        double sq = 0;
        foreach (var v in x)
        {
            double d = double.CreateChecked(v) - mean;
            sq += d * d;
        }

        return (mean, sq / x.Length);
    }
}
