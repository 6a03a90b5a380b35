using System.Numerics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;
using Blas = OpenAutoGlm.Backends.Cpu.Simd.Gemm;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nn;

/// <summary>
/// ConvTranspose: the gradient of Conv: Y[n, m, i * s - pad + kk * d] += W[c, m, kk] * X[n, c, i], plus B[m], with
/// groups, dilations, output_padding, output_shape and auto_pad (https://onnx.ai/onnx/operators/onnx__ConvTranspose.html).
/// Computed per (batch, group) as col = W_g^T [M/g * K, C/g] x X_g [C/g, inSize], then col2im into Y.
/// </summary>
internal sealed class ConvTranspose : IKernel
{
    private readonly ConvGeometry _geometry;
    private readonly int _group;

    public ConvTranspose(KernelCreationContext ctx)
    {
        _geometry = ConvGeometry.Parse(ctx.Node);
        _group = checked((int)ctx.Attributes.GetInt("group", 1));
    }

    public void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        var w = ctx.Input(1);
        var b = ctx.OptionalInput(2);
        if (x.Rank < 3 || w.Rank != x.Rank)
        {
            throw ctx.Error($"X must be [N, C, D1, ...] and W [C, M/group, k1, ...] of the same rank, got X {x.ShapeString} and W {w.ShapeString}");
        }

        if (w.DataType != x.DataType || (b is not null && b.DataType != x.DataType))
        {
            throw ctx.Error($"X, W and B must have the same dtype, got {x.DataType.Name()}, {w.DataType.Name()}{(b is null ? string.Empty : ", " + b.DataType.Name())}");
        }

        int n = x.Dims[0], c = x.Dims[1];
        if (_group <= 0 || c % _group != 0 || w.Dims[0] != c)
        {
            throw ctx.Error($"group {_group} does not fit X {x.ShapeString} and W {w.ShapeString} (need C % group == 0 and W.shape[0] == C)");
        }

        int m = w.Dims[1] * _group;
        if (b is not null && (b.Rank != 1 || b.Dims[0] != m))
        {
            throw ctx.Error($"bias B must be [{m}], got {b.ShapeString}");
        }

        var plan = ConvPlan.Transpose(ctx, _geometry, x.Dims, w.Dims[2..]);
        var yDims = new int[x.Rank];
        yDims[0] = n;
        yDims[1] = m;
        plan.Output.CopyTo(yDims, 2);
        var y = ctx.Output(0, x.DataType, yDims);
        switch (x.DataType)
        {
            case DataType.Float32:
                RunFloat(plan, n, c, m, x.AsSpan<float>(), w.AsSpan<float>(), b is null ? default : b.AsSpan<float>(), y.AsSpan<float>(), ctx.IntraOpThreads);
                break;
            case DataType.Float16:
            case DataType.BFloat16:
                var yf = new float[y.Length];
                RunFloat(plan, n, c, m, FloatConversion.ToFloat(x), FloatConversion.ToFloat(w), b is null ? default : FloatConversion.ToFloat(b), yf, ctx.IntraOpThreads);
                FloatConversion.FromFloat(yf, y);
                break;
            case DataType.Float64:
                RunGeneric<double>(plan, n, c, m, x, w, b, y);
                break;
            default:
                throw ctx.Error($"unsupported element type {x.DataType.Name()}");
        }
    }

    private void RunFloat(ConvPlan p, int n, int c, int m, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> y, int threads)
    {
        int cg = c / _group, mg = m / _group;
        int rows = mg * p.KernelSize;
        var col = new float[rows * p.InputSize];
        y.Clear();
        for (int img = 0; img < n; img++)
        {
            for (int g = 0; g < _group; g++)
            {
                var xg = x.Slice(((img * c) + (g * cg)) * p.InputSize, cg * p.InputSize);
                var wg = w.Slice(g * cg * rows, cg * rows);
                Blas.Sgemm(true, false, rows, p.InputSize, cg, 1f, wg, rows, xg, p.InputSize, 0f, col, p.InputSize, threads);
                Im2Col.Col2ImAdd<float>(col, mg, p, y.Slice(((img * m) + (g * mg)) * p.OutputSize, mg * p.OutputSize));
            }

            if (!bias.IsEmpty)
            {
                for (int k = 0; k < m; k++)
                {
                    var plane = y.Slice(((img * m) + k) * p.OutputSize, p.OutputSize);
                    System.Numerics.Tensors.TensorPrimitives.Add(plane, bias[k], plane);
                }
            }
        }
    }

    private void RunGeneric<T>(ConvPlan p, int n, int c, int m, Tensor xt, Tensor wt, Tensor? bt, Tensor yt)
        where T : unmanaged, INumber<T>
    {
        var x = xt.AsSpan<T>();
        var w = wt.AsSpan<T>();
        var y = yt.AsSpan<T>();
        int cg = c / _group, mg = m / _group;
        int rows = mg * p.KernelSize;
        var col = new T[rows * p.InputSize];
        y.Clear();
        for (int img = 0; img < n; img++)
        {
            for (int g = 0; g < _group; g++)
            {
                var xg = x.Slice(((img * c) + (g * cg)) * p.InputSize, cg * p.InputSize);
                var wg = w.Slice(g * cg * rows, cg * rows);
                Blas.Generic(true, false, rows, p.InputSize, cg, T.One, wg, rows, xg, p.InputSize, T.Zero, col, p.InputSize);
                Im2Col.Col2ImAdd<T>(col, mg, p, y.Slice(((img * m) + (g * mg)) * p.OutputSize, mg * p.OutputSize));
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
