using OpenAutoGlm.Backends.Cpu.Kernels.Reduction;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nn;

/// <summary>
/// MeanVarianceNormalization: y = (x - E[x]) / (sqrt(E[x^2] - E[x]^2) + 1e-9), expectations over axes (default
/// [0, 2, 3]), as the spec's function body computes it (https://onnx.ai/onnx/operators/onnx__MeanVarianceNormalization.html).
/// </summary>
internal sealed class MeanVarianceNormalization : IKernel
{
    private const double Epsilon = 1e-9;
    private readonly long[] _axes;

    public MeanVarianceNormalization(KernelCreationContext ctx)
    {
        _axes = ctx.Attributes.GetInts("axes") ?? [0, 2, 3];
    }

    public void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        if (!x.DataType.IsFloatingPoint())
        {
            throw ctx.Error($"unsupported element type {x.DataType.Name()}");
        }

        int rank = x.Rank;
        var reduced = new bool[rank];
        foreach (long a in _axes)
        {
            if (a < -rank || a >= rank)
            {
                throw ctx.Error($"axis {a} is out of range for rank {rank}");
            }

            reduced[a < 0 ? a + rank : a] = true;
        }

        var plan = ReducePlan.Create(x.Dims, reduced);
        var xs = x.ToDoubleArray();
        var ys = new double[xs.Length];
        int count = plan.ReducedCount;
        if (plan.OutputCount > 0 && count > 0)
        {
            // Every output group g owns input elements Base(g) + Offset(r); normalize each group in place.
            for (int g = 0; g < plan.OutputCount; g++)
            {
                double sum = 0, sumSq = 0;
                for (int r = 0; r < count; r++)
                {
                    double v = xs[Index(plan, g, r)];
                    sum += v;
                    sumSq += v * v;
                }

                double mean = sum / count;
                double std = Math.Sqrt(Math.Max(0, (sumSq / count) - (mean * mean)));
                for (int r = 0; r < count; r++)
                {
                    int i = Index(plan, g, r);
                    ys[i] = (xs[i] - mean) / (std + Epsilon);
                }
            }
        }

        var y = ctx.Output(0, x.DataType, x.Dims);
        if (x.DataType == DataType.Float64)
        {
            ys.CopyTo(y.AsSpan<double>());
        }
        else
        {
            FloatConversion.FromFloat(Array.ConvertAll(ys, v => (float)v), y);
        }
    }

    private static int Index(ReducePlan plan, int group, int r)
    {
        if (!plan.IsBlock)
        {
            return plan.KeptOffsets![group] + plan.ReducedOffsets![r];
        }

        int o = group / plan.Inner, i = group % plan.Inner;
        return (((o * plan.ReducedCount) + r) * plan.Inner) + i;
    }
}
