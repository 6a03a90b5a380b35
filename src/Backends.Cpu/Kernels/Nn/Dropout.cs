using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nn;

/// <summary>
/// Dropout (https://onnx.ai/onnx/operators/onnx__Dropout.html). Inference (opsets 1-6 always: their is_test=0 training
/// mode belongs to training frameworks, this engine runs the test mode; opset 7 and 10 always; from opset 12 when the
/// training_mode input is absent or false, or the ratio is 0): output = data, mask all true (all ones of T at opset 7).
/// Training: mask[i] = u[i] &gt;= ratio with u uniform in [0, 1), output = data * mask / (1 - ratio); the ratio is the
/// optional input 1 from opset 12 (default 0.5), the <c>ratio</c> attribute before. A <c>seed</c> attribute makes every
/// run draw the same mask (the kernel stays immutable); without one each run draws a fresh seed.
/// </summary>
internal sealed class Dropout : IKernel
{
    private readonly float _ratioAttribute;
    private readonly int? _seed;

    public Dropout(KernelCreationContext ctx)
    {
        _ratioAttribute = ctx.Attributes.GetFloat("ratio", 0.5f);
        _seed = ctx.Attributes.Contains("seed") ? unchecked((int)ctx.Attributes.GetInt("seed")) : null;
    }

    public void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        if (x.DataType is not (DataType.Float32 or DataType.Float64 or DataType.Float16 or DataType.BFloat16))
        {
            throw ctx.Error($"data must be float32, float64, float16 or bfloat16, got {x.DataType.Name()}");
        }

        double ratio = _ratioAttribute;
        bool training = false;
        if (ctx.Opset >= 12)
        {
            ratio = ctx.OptionalInput(1) is { } r ? Scalar(ctx, r, 1, "ratio") : 0.5;
            training = ctx.OptionalInput(2) is { } t && Scalar(ctx, t, 2, "training_mode") != 0;
        }

        if (!(ratio >= 0 && ratio < 1))
        {
            throw ctx.Error($"ratio must be in [0, 1), got {ratio}");
        }

        var y = ctx.Output(0, x.DataType, x.Dims);
        bool wantsMask = ctx.IsOutputRequested(1);
        if (!training || ratio == 0)
        {
            x.AsBytes().CopyTo(y.AsBytes());
            if (wantsMask)
            {
                WriteAllKept(ctx.Output(1, ctx.Opset >= 10 ? DataType.Bool : x.DataType, x.Dims));
            }

            return;
        }

        var rng = _seed is int s ? new Random(s) : new Random(Random.Shared.Next());
        var keep = new bool[x.Length];
        for (int i = 0; i < keep.Length; i++)
        {
            keep[i] = rng.NextDouble() >= ratio;
        }

        double scale = 1 / (1 - ratio);
        if (x.DataType == DataType.Float64)
        {
            var xs = x.AsSpan<double>();
            var ys = y.AsSpan<double>();
            for (int i = 0; i < xs.Length; i++)
            {
                ys[i] = keep[i] ? xs[i] * scale : 0;
            }
        }
        else
        {
            var xs = FloatConversion.ToFloat(x);
            float fscale = (float)scale;
            for (int i = 0; i < xs.Length; i++)
            {
                xs[i] = keep[i] ? xs[i] * fscale : 0f;
            }

            FloatConversion.FromFloat(xs, y);
        }

        if (wantsMask)
        {
            keep.CopyTo(ctx.Output(1, DataType.Bool, x.Dims).AsSpan<bool>());
        }
    }

    /// <summary>The single value of a scalar (or one-element) input.</summary>
    private static double Scalar(KernelContext ctx, Tensor t, int index, string name)
    {
        if (t.Length != 1)
        {
            throw ctx.Error($"{name} (input {index}) must be a scalar, got shape {t.ShapeString}");
        }

        return t.DataType == DataType.Bool ? (t.AsSpan<bool>()[0] ? 1 : 0) : t.ToDoubleArray()[0];
    }

    /// <summary>Fills a mask with "kept": true for bool, 1 for the float mask of opset 7.</summary>
    private static void WriteAllKept(Tensor mask)
    {
        switch (mask.DataType)
        {
            case DataType.Bool: mask.AsSpan<bool>().Fill(true); break;
            case DataType.Float64: mask.AsSpan<double>().Fill(1); break;
            case DataType.Float32: mask.AsSpan<float>().Fill(1); break;
            case DataType.Float16: mask.AsSpan<Half>().Fill(Half.One); break;
            default: mask.AsSpan<BFloat16>().Fill((BFloat16)1f); break;
        }
    }
}
