using OpenAutoGlm.Backends.Cpu.Kernels.Nchwc;
using OpenAutoGlm.Backends.Cpu.Kernels.Nn;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.AutoGlm;

/// <summary>
/// ai.autoglm NchwcConv: FusedConv over the blocked layout. X [N, ceil(C/16), H, W, 16] (or NCHW [N, C, H, W] for a
/// first layer), W [M, C/group, KH, KW] constant, B [M] constant (optional), Z residual in Y's layout (optional);
/// Y [N, ceil(M/16), OH, OW, 16] = activation(Conv(X, W) + B + Z). 2-D only; group 1 (dense) or group = C = M
/// (depthwise, blocked X only); a dense one has a column stride of 1 or 2. Conv's attributes plus activation /
/// activation_params (docs/ops.md). A dense 3x3 stride-1 one with a blocked X runs as Winograd F(2x2, 3x3)
/// (<see cref="NchwcWinograd"/>) where that measured faster, else the direct <see cref="NchwcConvDriver"/>.
/// </summary>
internal sealed unsafe class NchwcConv : IKernel
{
    private readonly ConvGeometry _geometry;
    private readonly int _group;
    private readonly FusedActivation _activation;
    private readonly int[] _wDims;
    private readonly bool _depthwise;
    private readonly Tensor _w;
    private readonly Tensor? _b;
    private NchwcWeights? _blocked;
    private NchwcWeights? _nchw;
    private NchwcWinogradWeights? _winograd;
    private readonly NchwcTapBranches? _branches;

    public NchwcConv(KernelCreationContext ctx)
    {
        _geometry = ConvGeometry.Parse(ctx.Node);
        _group = checked((int)ctx.Attributes.GetInt("group", 1));
        _activation = FusedActivation.Parse(ctx);
        _w = ctx.ConstantInput(1) ?? throw ctx.Error("W (input 1) must be a constant initializer");
        _b = ctx.ConstantInput(2);
        if (_w.DataType != DataType.Float32 || _w.Rank != 4)
        {
            throw ctx.Error($"W must be float32 [M, C/group, KH, KW], got {_w.DataType.Name()}{_w.ShapeString}");
        }

        _wDims = _w.Dims.ToArray();
        if (ctx.InputTypes.Count > 2 && ctx.InputTypes[2] is not null && _b is null)
        {
            throw ctx.Error("B (input 2) must be a constant initializer");
        }

        if (_b is not null && (_b.DataType != DataType.Float32 || _b.Rank != 1 || _b.Dims[0] != _wDims[0]))
        {
            throw ctx.Error($"B must be float32 [{_wDims[0]}], got {_b.DataType.Name()}{_b.ShapeString}");
        }

        _depthwise = _group != 1;
        if (_depthwise && (_group != _wDims[0] || _wDims[1] != 1))
        {
            throw ctx.Error($"group {_group} with W {_w.ShapeString}: only group 1 or depthwise (group = C = M, W [C, 1, KH, KW]) is supported");
        }

        // The dense micro-kernel reads input pixels 1 or 2 columns apart (NchwcConvDriver.Tile); rows may step by any stride.
        if (!_depthwise && _geometry.Strides is { Length: 2 } strides && strides[1] is not (1 or 2))
        {
            throw ctx.Error($"a dense NchwcConv supports a column stride of 1 or 2, got strides [{string.Join(",", strides)}]");
        }

        if (_geometry.KernelShape is { } ks && (ks.Length != 2 || ks[0] != _wDims[2] || ks[1] != _wDims[3]))
        {
            throw ctx.Error($"kernel_shape [{string.Join(",", ks)}] does not match W {_w.ShapeString}");
        }

        if (_depthwise)
        {
            _blocked = NchwcWeights.Depthwise(_w.AsSpan<float>(), Bias(), _wDims[0], _wDims[2], _wDims[3]);
        }
        else
        {
            _branches = NchwcTapBranches.Find(_w.AsSpan<float>(), Bias(), _wDims[0], _wDims[1], _wDims[2], _wDims[3]);
        }
    }

    public void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        if (x.DataType != DataType.Float32)
        {
            throw ctx.Error($"NchwcConv computes float32 only, got X {x.DataType.Name()}");
        }

        int m = _wDims[0], c = _wDims[1] * _group;
        bool blockedInput = x.Rank == 5;
        if (blockedInput ? x.Dims[1] != NchwcLayout.Blocks(c) || x.Dims[4] != NchwcLayout.Block : x.Rank != 4 || x.Dims[1] != c)
        {
            throw ctx.Error($"X {x.ShapeString} does not fit W {_w.ShapeString} with group {_group}: expected [N, {NchwcLayout.Blocks(c)}, H, W, 16] or [N, {c}, H, W]");
        }

        if (_depthwise && !blockedInput)
        {
            throw ctx.Error($"a depthwise NchwcConv needs a blocked X [N, C/16, H, W, 16], got {x.ShapeString}");
        }

        int n = x.Dims[0];
        var plan = ConvPlan.Forward(ctx, _geometry, [n, c, x.Dims[2], x.Dims[3]], _wDims.AsSpan(2), kernelRequired: false);
        var g = new NchwcGeometry(
            n, c, x.Dims[2], x.Dims[3], m, plan.Output[0], plan.Output[1], _wDims[2], _wDims[3], plan.Strides[0], plan.Strides[1],
            plan.Dilations[0], plan.Dilations[1], plan.PadsBegin[0], plan.PadsBegin[1]);
        ReadOnlySpan<int> yDims = [n, NchwcLayout.Blocks(m), g.OH, g.OW, NchwcLayout.Block];
        var z = ctx.OptionalInput(3);
        if (z is not null && (z.DataType != DataType.Float32 || !z.Dims.SequenceEqual(yDims)))
        {
            throw ctx.Error($"residual Z must be float32 {Shape.Format(yDims)} (Y's blocked shape), got {z.DataType.Name()}{z.ShapeString}");
        }

        var y = ctx.OutputUninitialized(0, DataType.Float32, yDims);
        var (clamp, post) = _activation.ForGemm();
        fixed (float* px = x.AsSpan<float>())
        fixed (float* py = y.AsSpan<float>())
        fixed (float* pz = z is null ? default : z.AsSpan<float>())
        {
            if (_depthwise)
            {
                NchwcDepthwise.Run(g, _blocked!, px, py, pz, clamp, post, ctx.IntraOpThreads);
                return;
            }

            if (blockedInput && _branches is not null && RunBranches(ctx, g, c, px, py, pz, clamp, post))
            {
                return;
            }

            if (blockedInput && NchwcWinograd.Applies(g, ctx.IntraOpThreads))
            {
                NchwcWinograd.Run(g, WinogradWeights(c), px, py, pz, clamp, post, ctx.IntraOpThreads);
                return;
            }

            var weights = Weights(blockedInput, c);
            long scratchLength = NchwcConvDriver.ScratchFloats(g, blockedInput, weights);
            var scratch = scratchLength == 0 ? default : ctx.RentScratch<float>(checked((int)scratchLength));
            fixed (float* ps = scratch.Span)
            {
                NchwcConvDriver.Run(g, blockedInput, weights, px, py, pz, ps, clamp, post, ctx.IntraOpThreads);
            }
        }
    }

    /// <summary>
    /// Each tap branch (<see cref="NchwcTapBranches"/>) as its own convolution into its blocks of Y; false (nothing
    /// written) when a branch's window would need a negative pad.
    /// </summary>
    private bool RunBranches(KernelContext ctx, in NchwcGeometry g, int c, float* px, float* py, float* pz, GemmClamp clamp, GemmPostOp? post)
    {
        var items = _branches!.Items;
        Span<NchwcGeometry> geometries = stackalloc NchwcGeometry[items.Count];
        Span<bool> winograd = stackalloc bool[items.Count];
        long scratchLength = 0;
        for (int i = 0; i < items.Count; i++)
        {
            if (NchwcTapBranches.GeometryOf(g, items[i]) is not { } gb)
            {
                return false;
            }

            geometries[i] = gb;
            winograd[i] = NchwcWinograd.Applies(gb, ctx.IntraOpThreads);
            if (!winograd[i])
            {
                scratchLength = Math.Max(scratchLength, NchwcConvDriver.ScratchFloats(gb, true, items[i].Dense(c)));
            }
        }

        int yBlocks = NchwcLayout.Blocks(g.M);
        var scratch = scratchLength == 0 ? default : ctx.RentScratch<float>(checked((int)scratchLength));
        fixed (float* ps = scratch.Span)
        {
            for (int i = 0; i < items.Count; i++)
            {
                var branch = items[i];
                long offset = (long)branch.FirstBlock * g.PlaneOut * NchwcLayout.Block;
                float* yb = py + offset, zb = pz == null ? null : pz + offset;
                if (winograd[i])
                {
                    NchwcWinograd.Run(geometries[i], branch.Winograd(c), px, yb, zb, clamp, post, ctx.IntraOpThreads, yBlocks);
                }
                else
                {
                    NchwcConvDriver.Run(geometries[i], true, branch.Dense(c), px, yb, zb, ps, clamp, post, ctx.IntraOpThreads, yBlocks);
                }
            }
        }

        return true;
    }

    private ReadOnlySpan<float> Bias() => _b is null ? default : _b.AsSpan<float>();

    /// <summary>The dense packing for this input layout, made on first use (a session sees one layout per node).</summary>
    private NchwcWeights Weights(bool blockedInput, int c)
    {
        ref var slot = ref blockedInput ? ref _blocked : ref _nchw;
        if (Volatile.Read(ref slot) is { } ready)
        {
            return ready;
        }

        var packed = NchwcWeights.Dense(_w.AsSpan<float>(), Bias(), _wDims[0], c, _wDims[2], _wDims[3], blockedInput);
        return Interlocked.CompareExchange(ref slot, packed, null) ?? packed;
    }

    /// <summary>The Winograd F(2x2, 3x3) weights, made on first use.</summary>
    private NchwcWinogradWeights WinogradWeights(int c)
    {
        if (Volatile.Read(ref _winograd) is { } ready)
        {
            return ready;
        }

        var packed = new NchwcWinogradWeights(_w.AsSpan<float>(), Bias(), _wDims[0], c);
        return Interlocked.CompareExchange(ref _winograd, packed, null) ?? packed;
    }
}
