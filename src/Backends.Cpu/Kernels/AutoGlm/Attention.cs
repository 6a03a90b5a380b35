using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;
using Blas = OpenAutoGlm.Backends.Cpu.Simd.Gemm;

namespace OpenAutoGlm.Backends.Cpu.Kernels.AutoGlm;

/// <summary>
/// ai.autoglm Attention: multi-head scaled dot-product attention over already projected Q, K, V (docs/ops.md).
/// Layouts: Q [B, S, H*D], K [B, L, H*D], V [B, L, H*Dv] (rank 3, H = num_heads), or Q [B, H, S, D],
/// K [B, H, L, D], V [B, H, L, Dv] (rank 4). Optional inputs: 3 mask (additive float32, broadcast to [B, H, S, T]),
/// 4 past_key [B, H, P, D], 5 past_value [B, H, P, Dv]; T = P + L. For every (b, h):
/// K' = concat(past_key, K) [T, D], V' likewise, A = softmax(scale * Q K'^T + mask) with causal (when set) masking key
/// j of query i unless j &lt;= i + T - S, Y = A V' (a row whose every score is -inf yields zeros).
/// Outputs: Y in Q's layout, present_key K' [B, H, T, D], present_value V' [B, H, T, Dv] (optional).
/// </summary>
internal sealed class Attention : IKernel
{
    private readonly int _numHeads;
    private readonly float? _scale;
    private readonly bool _causal;

    public Attention(KernelCreationContext ctx)
    {
        _numHeads = checked((int)ctx.Attributes.GetInt("num_heads", 0));
        _scale = ctx.Attributes.TryGet("scale", out _) ? ctx.Attributes.GetFloat("scale") : null;
        _causal = ctx.Attributes.GetInt("causal", 0) != 0;
    }

    public void Compute(KernelContext ctx)
    {
        var q = ctx.Input(0);
        var k = ctx.Input(1);
        var v = ctx.Input(2);
        var mask = ctx.OptionalInput(3);
        var pastK = ctx.OptionalInput(4);
        var pastV = ctx.OptionalInput(5);
        foreach (var (t, name) in new[] { (q, "Q"), (k, "K"), (v, "V"), (mask, "mask"), (pastK, "past_key"), (pastV, "past_value") })
        {
            if (t is not null && t.DataType != DataType.Float32)
            {
                throw ctx.Error($"Attention computes float32 only, got {name} {t.DataType.Name()}");
            }
        }

        if (q.Rank is not (3 or 4) || k.Rank != q.Rank || v.Rank != q.Rank)
        {
            throw ctx.Error($"Q, K and V must all be rank 3 ([B, S, H*D]) or all rank 4 ([B, H, S, D]), got {q.ShapeString}, {k.ShapeString} and {v.ShapeString}");
        }

        bool packed = q.Rank == 3;
        int b = q.Dims[0];
        int h = packed ? _numHeads : q.Dims[1];
        if (h <= 0 || (packed && (q.Dims[2] % h != 0 || k.Dims[2] % h != 0 || v.Dims[2] % h != 0)))
        {
            throw ctx.Error($"num_heads {_numHeads} must be positive and divide the hidden sizes of Q {q.ShapeString}, K {k.ShapeString} and V {v.ShapeString}");
        }

        if (!packed && _numHeads != 0 && _numHeads != h)
        {
            throw ctx.Error($"num_heads {_numHeads} does not match Q's head dimension {q.ShapeString}");
        }

        int s = packed ? q.Dims[1] : q.Dims[2];
        int l = packed ? k.Dims[1] : k.Dims[2];
        int d = packed ? q.Dims[2] / h : q.Dims[3];
        int dk = packed ? k.Dims[2] / h : k.Dims[3];
        int dv = packed ? v.Dims[2] / h : v.Dims[3];
        int lv = packed ? v.Dims[1] : v.Dims[2];
        bool headsMatch = packed || (k.Dims[1] == h && v.Dims[1] == h);
        if (dk != d || lv != l || k.Dims[0] != b || v.Dims[0] != b || !headsMatch)
        {
            throw ctx.Error($"K {k.ShapeString} and V {v.ShapeString} do not fit Q {q.ShapeString} (batch, heads, head size of K and length of K/V must agree)");
        }

        if ((pastK is null) != (pastV is null))
        {
            throw ctx.Error("past_key and past_value must be given together");
        }

        int p = 0;
        if (pastK is not null && pastV is not null)
        {
            p = pastK.Rank == 4 ? pastK.Dims[2] : -1;
            if (p < 0 || pastK.Dims[0] != b || pastK.Dims[1] != h || pastK.Dims[3] != d
                || pastV.Rank != 4 || pastV.Dims[0] != b || pastV.Dims[1] != h || pastV.Dims[2] != p || pastV.Dims[3] != dv)
            {
                throw ctx.Error($"past_key {pastK.ShapeString} and past_value {pastV.ShapeString} must be [{b}, {h}, P, {d}] and [{b}, {h}, P, {dv}]");
            }
        }

        int total = p + l;
        int[] scoreDims = [b, h, s, total];
        var maskStrides = new long[4];
        if (mask is not null)
        {
            if (mask.Rank > 4 || !Broadcasts(mask.Dims, scoreDims))
            {
                throw ctx.Error($"mask {mask.ShapeString} cannot be broadcast to the scores' shape {Shape.Format(scoreDims)} ([B, H, S, T])");
            }

            Simd.BroadcastDriver.Strides(mask.Dims, scoreDims, maskStrides);
        }

        float scale = _scale ?? (float)(1 / Math.Sqrt(d));
        var y = ctx.Output(0, DataType.Float32, packed ? [b, s, h * dv] : [b, h, s, dv]);
        var presentK = ctx.IsOutputRequested(1) ? ctx.Output(1, DataType.Float32, [b, h, total, d]).AsSpan<float>() : new float[b * h * total * d];
        var presentV = ctx.IsOutputRequested(2) ? ctx.Output(2, DataType.Float32, [b, h, total, dv]).AsSpan<float>() : new float[b * h * total * dv];
        var qs = q.AsSpan<float>();
        var ys = y.AsSpan<float>();
        var qHead = new float[s * d];
        var scores = new float[s * total];
        var yHead = new float[s * dv];
        for (int bi = 0; bi < b; bi++)
        {
            for (int hi = 0; hi < h; hi++)
            {
                int head = (bi * h) + hi;
                var kHead = presentK.Slice(head * total * d, total * d);
                var vHead = presentV.Slice(head * total * dv, total * dv);
                if (pastK is not null && pastV is not null)
                {
                    pastK.AsSpan<float>().Slice(head * p * d, p * d).CopyTo(kHead);
                    pastV.AsSpan<float>().Slice(head * p * dv, p * dv).CopyTo(vHead);
                }

                Gather(k.AsSpan<float>(), packed, bi, hi, h, l, d, kHead[(p * d)..]);
                Gather(v.AsSpan<float>(), packed, bi, hi, h, l, dv, vHead[(p * dv)..]);
                Gather(qs, packed, bi, hi, h, s, d, qHead);

                // scores [S, T] = scale * Q_h K'_h^T
                Blas.Sgemm(false, true, s, total, d, scale, qHead, d, kHead, d, 0f, scores, total);
                for (int i = 0; i < s; i++)
                {
                    var row = scores.AsSpan(i * total, total);
                    if (mask is not null)
                    {
                        var ms = mask.AsSpan<float>();
                        long baseOffset = (bi * maskStrides[0]) + (hi * maskStrides[1]) + (i * maskStrides[2]);
                        for (int j = 0; j < total; j++)
                        {
                            row[j] += ms[(int)(baseOffset + (j * maskStrides[3]))];
                        }
                    }

                    if (_causal)
                    {
                        row[Math.Clamp(i + total - s + 1, 0, total)..].Fill(float.NegativeInfinity);
                    }

                    Softmax(row);
                }

                // Y_h [S, Dv] = A V'_h
                Blas.Sgemm(false, false, s, dv, total, 1f, scores, total, vHead, dv, 0f, yHead, dv);
                Scatter(yHead, packed, bi, hi, h, s, dv, ys);
            }
        }
    }

    private static bool Broadcasts(ReadOnlySpan<int> dims, ReadOnlySpan<int> target)
    {
        int offset = target.Length - dims.Length;
        for (int i = 0; i < dims.Length; i++)
        {
            if (dims[i] != 1 && dims[i] != target[i + offset])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Copies head <paramref name="hi"/> of batch <paramref name="bi"/> ([len, width]) out of a packed or head-major tensor.</summary>
    private static void Gather(ReadOnlySpan<float> src, bool packed, int bi, int hi, int h, int len, int width, Span<float> dst)
    {
        if (!packed)
        {
            src.Slice(((bi * h) + hi) * len * width, len * width).CopyTo(dst);
            return;
        }

        for (int t = 0; t < len; t++)
        {
            src.Slice((((bi * len) + t) * h * width) + (hi * width), width).CopyTo(dst.Slice(t * width, width));
        }
    }

    private static void Scatter(ReadOnlySpan<float> src, bool packed, int bi, int hi, int h, int len, int width, Span<float> dst)
    {
        if (!packed)
        {
            src.CopyTo(dst.Slice(((bi * h) + hi) * len * width, len * width));
            return;
        }

        for (int t = 0; t < len; t++)
        {
            src.Slice(t * width, width).CopyTo(dst.Slice((((bi * len) + t) * h * width) + (hi * width), width));
        }
    }

    /// <summary>row = exp(row - max) / sum; all -inf (everything masked) gives zeros.</summary>
    private static void Softmax(Span<float> row)
    {
        float max = float.NegativeInfinity;
        foreach (float x in row)
        {
            max = Math.Max(max, x);
        }

        if (float.IsNegativeInfinity(max))
        {
            row.Clear();
            return;
        }

        double sum = 0;
        foreach (ref float x in row)
        {
            x = MathF.Exp(x - max);
            sum += x;
        }

        System.Numerics.Tensors.TensorPrimitives.Multiply(row, (float)(1 / sum), row);
    }
}
