using System.Numerics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Transform;

/// <summary>How Scatter* combine an update with the value already in the output.</summary>
internal enum ScatterReduction
{
    None,
    Add,
    Mul,
    Max,
    Min,
}

/// <summary>Applies scatter updates in index order: out[offsets[i] + j] = reduce(out[offsets[i] + j], updates[i·block + j]).</summary>
internal static class ScatterUpdate
{
    public static ScatterReduction ParseReduction(KernelCreationContext ctx)
    {
        string r = ctx.Attributes.GetString("reduction", "none");
        return r switch
        {
            "none" => ScatterReduction.None,
            "add" => ScatterReduction.Add,
            "mul" => ScatterReduction.Mul,
            "max" => ScatterReduction.Max,
            "min" => ScatterReduction.Min,
            _ => throw ctx.Error($"reduction '{r}' is not supported (none, add, mul, max, min)"),
        };
    }

    /// <summary>Copies data into a new output, then applies the updates to it.</summary>
    public static void Run(KernelContext ctx, Tensor data, Tensor updates, int[] offsets, int block, ScatterReduction reduction)
    {
        if (updates.DataType != data.DataType)
        {
            throw ctx.Error($"updates must have the element type of data ({data.DataType.Name()}), got {updates.DataType.Name()}");
        }

        var y = ctx.Output(0, data.DataType, data.Dims);
        Elements.Copy(data, 0, y, 0, data.Length);
        if (reduction == ScatterReduction.None)
        {
            var copy = new CopyJob(y, updates, offsets, block);
            Elements.Dispatch(y.DataType, ref copy);
            return;
        }

        var job = new ReduceJob(y, updates, offsets, block, reduction);
        if (Elements.DispatchNumeric(y.DataType, ref job))
        {
            return;
        }

        if (y.DataType != DataType.BFloat16)
        {
            throw ctx.Error($"reduction '{reduction.ToString().ToLowerInvariant()}' is not supported for element type {y.DataType.Name()}");
        }

        // bfloat16 has no arithmetic of its own: reduce in float32, round once at the end.
        var yf = Tensor.Create(FloatConversion.ToFloat(y), y.DimsArray());
        var uf = Tensor.Create(FloatConversion.ToFloat(updates), updates.DimsArray());
        new ReduceJob(yf, uf, offsets, block, reduction).Invoke<float>();
        FloatConversion.FromFloat(yf.Span, y);
    }

    private readonly struct CopyJob(Tensor y, Tensor updates, int[] offsets, int block) : IElementAction
    {
        public void Invoke<T>()
        {
            var dst = Elements.Of<T>(y);
            var src = Elements.Of<T>(updates);
            for (int i = 0; i < offsets.Length; i++)
            {
                src.Slice(i * block, block).CopyTo(dst.Slice(offsets[i], block));
            }
        }
    }

    private readonly struct ReduceJob(Tensor y, Tensor updates, int[] offsets, int block, ScatterReduction reduction) : INumericAction
    {
        public void Invoke<T>()
            where T : unmanaged, INumber<T>
        {
            var dst = y.AsSpan<T>();
            var src = updates.AsSpan<T>();
            for (int i = 0; i < offsets.Length; i++)
            {
                var d = dst.Slice(offsets[i], block);
                var s = src.Slice(i * block, block);
                for (int j = 0; j < block; j++)
                {
                    d[j] = reduction switch
                    {
                        ScatterReduction.Add => d[j] + s[j],
                        ScatterReduction.Mul => d[j] * s[j],
                        ScatterReduction.Max => T.Max(d[j], s[j]),
                        _ => T.Min(d[j], s[j]),
                    };
                }
            }
        }
    }
}
