using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;
using OpenAutoGlm.Backends.Cpu.Threading;

namespace OpenAutoGlm.Backends.Cpu.Kernels.AutoGlm;

/// <summary>
/// ai.autoglm Attention: multi-head scaled dot-product attention over already projected Q, K, V (docs/ops.md).
/// Layouts: Q [B, S, H*D], K [B, L, H*D], V [B, L, H*Dv] (rank 3, H = num_heads), or Q [B, H, S, D],
/// K [B, H, L, D], V [B, H, L, Dv] (rank 4). Optional inputs: 3 mask (additive float32, broadcast to [B, H, S, T]),
/// 4 past_key [B, H, P, D], 5 past_value [B, H, P, Dv]; T = P + L. For every (b, h):
/// K' = concat(past_key, K) [T, D], V' likewise, A = softmax(scale * Q K'^T + mask) with causal (when set) masking key
/// j of query i unless j &lt;= i + T - S, Y = A V' (a row whose every score is -inf yields zeros).
/// Outputs: Y in Q's layout, present_key K' [B, H, T, D], present_value V' [B, H, T, Dv] (optional).
/// The (b, h) pairs run in parallel (<see cref="AttentionHead"/>), each reading Q, K, V and writing Y in place.
/// </summary>
internal sealed unsafe class Attention : IKernel
{
    /// <summary>Multiply-adds plus copied elements of one call below which the heads run on the calling thread only.</summary>
    private const long MinParallelWork = 1L << 16;

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
        CheckFloat(ctx, q, "Q");
        CheckFloat(ctx, k, "K");
        CheckFloat(ctx, v, "V");
        CheckFloat(ctx, mask, "mask");
        CheckFloat(ctx, pastK, "past_key");
        CheckFloat(ctx, pastV, "past_value");

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
        Span<int> scoreDims = [b, h, s, total];
        Span<long> maskStrides = stackalloc long[4];
        if (mask is not null)
        {
            if (mask.Rank > 4 || !Broadcasts(mask.Dims, scoreDims))
            {
                throw ctx.Error($"mask {mask.ShapeString} cannot be broadcast to the scores' shape {Shape.Format(scoreDims)} ([B, H, S, T])");
            }

            Simd.BroadcastDriver.Strides(mask.Dims, scoreDims, maskStrides);
        }

        float scale = _scale ?? (float)(1 / Math.Sqrt(d));
        // Every element of Y (A V', or zeros through the SGEMM's beta 0 when T = 0) and of K' / V' is written.
        var y = ctx.OutputUninitialized(0, DataType.Float32, packed ? [b, s, h * dv] : [b, h, s, dv]);
        var presentK = ctx.IsOutputRequested(1) ? ctx.OutputUninitialized(1, DataType.Float32, [b, h, total, d]).AsSpan<float>() : default;
        var presentV = ctx.IsOutputRequested(2) ? ctx.OutputUninitialized(2, DataType.Float32, [b, h, total, dv]).AsSpan<float>() : default;
        var shape = new AttentionShape(b, h, s, l, p, d, dv, packed, _causal, scale, maskStrides[0], maskStrides[1], maskStrides[2], maskStrides[3]);

        // Per head: scores s x total (+ copies of K' and V' when a past is given but present_* is not requested).
        long work = (long)b * h * ((long)s * total * (d + dv) + ((long)total * (d + dv)));
        int threads = work < MinParallelWork ? 1 : ctx.IntraOpThreads;
        fixed (float* pq = q.AsSpan<float>())
        fixed (float* pk = k.AsSpan<float>())
        fixed (float* pv = v.AsSpan<float>())
        fixed (float* pm = mask is null ? default : mask.AsSpan<float>())
        fixed (float* ppk = pastK is null ? default : pastK.AsSpan<float>())
        fixed (float* ppv = pastV is null ? default : pastV.AsSpan<float>())
        fixed (float* py = y.AsSpan<float>())
        fixed (float* ptk = presentK)
        fixed (float* ptv = presentV)
        {
            var job = new AttentionHead(shape, new AttentionPointers(pq, pk, pv, pm, ppk, ppv, py, ptk, ptv));
            ParallelFor.Run(b * h, threads, job);
        }
    }

    private static void CheckFloat(KernelContext ctx, Tensor? t, string name)
    {
        if (t is not null && t.DataType != DataType.Float32)
        {
            throw ctx.Error($"Attention computes float32 only, got {name} {t.DataType.Name()}");
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
}
