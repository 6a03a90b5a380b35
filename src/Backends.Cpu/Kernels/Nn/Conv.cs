using System.Numerics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;
using Blas = OpenAutoGlm.Backends.Cpu.Simd.Gemm;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nn;

/// <summary>
/// Conv: Y[n, m, o] = B[m] + sum over c in m's group and kernel offsets kk of W[m, c, kk] * X[n, c, o * s - pad + kk * d],
/// N-D, with groups, dilations, strides, pads and auto_pad (https://onnx.ai/onnx/operators/onnx__Conv.html).
/// Computed per (batch, group) as W_g [M/g, C/g * K] x im2col(X_g) [C/g * K, outSize] with the bias in the GEMM epilogue;
/// pointwise convs skip im2col, depthwise convs have their own kernel (<see cref="ConvFloat"/>). A constant float32 W is
/// packed for the GEMM once, when the kernel is created.
/// </summary>
internal sealed class Conv : IKernel
{
    private readonly ConvGeometry _geometry;
    private readonly int _group;
    private readonly ConvFloat.PackedWeights? _packedW;

    public Conv(KernelCreationContext ctx)
    {
        _geometry = ConvGeometry.Parse(ctx.Node);
        _group = checked((int)ctx.Attributes.GetInt("group", 1));
        _packedW = ConvFloat.PackedWeights.For(ctx.ConstantInput(1), _group);
    }

    public void Compute(KernelContext ctx) => Run(ctx, _geometry, _group, ctx.Input(0), ctx.Input(1), ctx.OptionalInput(2), _packedW);

    /// <summary>
    /// Validates X, W, B, allocates output 0 and computes the convolution plus bias into it; returns Y. Shared by
    /// Conv and the fused ops that add an epilogue (ai.autoglm FusedConv). <paramref name="packedW"/>: W packed at
    /// kernel creation (used only when <paramref name="w"/> is that tensor).
    /// </summary>
    /// <remarks>
    /// The fused epilogue (float32 only): <paramref name="residual"/> (Y's shape) is added after the bias, then
    /// <paramref name="clamp"/> and <paramref name="post"/> are applied, tile by tile while the output is in cache.
    /// </remarks>
    internal static Tensor Run(
        KernelContext ctx, ConvGeometry geometry, int group, Tensor x, Tensor w, Tensor? b, ConvFloat.PackedWeights? packedW = null,
        Tensor? residual = null, GemmClamp clamp = default, GemmPostOp? post = null)
    {
        if (x.Rank < 3 || w.Rank != x.Rank)
        {
            throw ctx.Error($"X must be [N, C, D1, ...] and W [M, C/group, k1, ...] of the same rank, got X {x.ShapeString} and W {w.ShapeString}");
        }

        if (w.DataType != x.DataType || (b is not null && b.DataType != x.DataType))
        {
            throw ctx.Error($"X, W and B must have the same dtype, got {x.DataType.Name()}, {w.DataType.Name()}{(b is null ? string.Empty : ", " + b.DataType.Name())}");
        }

        int n = x.Dims[0], c = x.Dims[1], m = w.Dims[0];
        if (group <= 0 || c % group != 0 || m % group != 0 || w.Dims[1] != c / group)
        {
            throw ctx.Error($"group {group} does not fit X {x.ShapeString} and W {w.ShapeString} (need C % group == 0, M % group == 0 and W.shape[1] == C / group)");
        }

        if (b is not null && (b.Rank != 1 || b.Dims[0] != m))
        {
            throw ctx.Error($"bias B must be [{m}], got {b.ShapeString}");
        }

        if (geometry.KernelShape is { } ks && !ConvPlan.KernelShapeMatches(ks, w.Dims[2..]))
        {
            throw ctx.Error($"kernel_shape [{string.Join(",", ks)}] does not match W {w.ShapeString}");
        }

        var plan = ConvPlan.Forward(ctx, geometry, x.Dims, w.Dims[2..], kernelRequired: false);
        Span<int> yDims = stackalloc int[x.Rank];
        yDims[0] = n;
        yDims[1] = m;
        plan.Output.CopyTo(yDims[2..]);
        bool fused = residual is not null || clamp.Enabled || post is not null;
        if (fused && x.DataType != DataType.Float32)
        {
            throw ctx.Error($"a fused convolution epilogue computes float32 only, got X {x.DataType.Name()}");
        }

        if (residual is not null && (residual.DataType != DataType.Float32 || !residual.Dims.SequenceEqual(yDims)))
        {
            throw ctx.Error($"residual Z must be float32 of the output's shape {Shape.Format(yDims)}, got {residual.DataType.Name()}{residual.ShapeString}");
        }

        // Every path below writes each output element (GEMMs with beta = 0, depthwise planes, converted copies).
        var y = ctx.OutputUninitialized(0, x.DataType, yDims);
        var packedGroups = packedW?.For(w);
        switch (x.DataType)
        {
            case DataType.Float32:
                ConvFloat.Run(
                    plan, group, n, c, m, x.AsSpan<float>(), w.AsSpan<float>(), b is null ? default : b.AsSpan<float>(), y.AsSpan<float>(),
                    ctx.IntraOpThreads, packedGroups,
                    new ConvFinalOps { Residual = residual is null ? default : residual.AsSpan<float>(), Clamp = clamp, Post = post },
                    packedGroups is null ? null : packedW);
                break;
            case DataType.Float16:
            case DataType.BFloat16:
                var yf = new float[y.Length];
                ConvFloat.Run(plan, group, n, c, m, FloatConversion.ToFloat(x), FloatConversion.ToFloat(w), b is null ? default : FloatConversion.ToFloat(b), yf, ctx.IntraOpThreads, null);
                FloatConversion.FromFloat(yf, y);
                break;
            case DataType.Float64:
                RunGeneric<double>(plan, group, n, c, m, x, w, b, y);
                break;
            default:
                throw ctx.Error($"unsupported element type {x.DataType.Name()}");
        }

        return y;
    }

    private static void RunGeneric<T>(ConvPlan p, int group, int n, int c, int m, Tensor xt, Tensor wt, Tensor? bt, Tensor yt)
        where T : unmanaged, INumber<T>
    {
        var x = xt.AsSpan<T>();
        var w = wt.AsSpan<T>();
        var y = yt.AsSpan<T>();
        int cg = c / group, mg = m / group;
        int kdim = cg * p.KernelSize;
        var col = new T[kdim * p.OutputSize];
        for (int img = 0; img < n; img++)
        {
            for (int g = 0; g < group; g++)
            {
                Im2Col.Fill<T>(x.Slice(((img * c) + (g * cg)) * p.InputSize, cg * p.InputSize), cg, p, col);
                var yg = y.Slice(((img * m) + (g * mg)) * p.OutputSize, mg * p.OutputSize);
                Blas.Generic(false, false, mg, p.OutputSize, kdim, T.One, w.Slice(g * mg * kdim, mg * kdim), kdim, col, p.OutputSize, T.Zero, yg, p.OutputSize);
            }

            if (bt is not null)
            {
                var bias = bt.AsSpan<T>();
                for (int k = 0; k < m; k++)
                {
                    foreach (ref T v in y.Slice(((img * m) + k) * p.OutputSize, p.OutputSize))
                    {
                        v += bias[k];
                    }
                }
            }
        }
    }
}
