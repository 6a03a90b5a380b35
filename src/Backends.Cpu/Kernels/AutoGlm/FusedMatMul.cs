using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Backends.Cpu.Threading;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.AutoGlm;

/// <summary>
/// ai.autoglm FusedMatMul: Y = activation(MatMul(A, B) + bias), numpy matmul semantics, bias (optional) of shape [N]
/// added along Y's last axis; activation / activation_params as in docs/ops.md.
/// A constant 2-D B (a weight) is packed for the GEMM once, when the kernel is created; with a 2-D or wider B the
/// bias is the GEMM's column-bias epilogue and the activation its final op on finished tiles (with a 1-D B, both
/// run afterwards, the activation over row blocks on the intra-op threads).
/// </summary>
internal sealed class FusedMatMul : IKernel
{
    /// <summary>Elements per activation chunk (about 64 KB) below which the activation is not split across threads.</summary>
    private const int MinActivationChunk = 16384;

    private readonly FusedActivation _activation;
    private readonly FastGelu? _gelu;
    private readonly Tensor? _constantB;
    private readonly PackedGemmMatrix? _packedB;
    private Nn.BatchedMatMul? _plan;

    public FusedMatMul(KernelCreationContext ctx)
    {
        _activation = FusedActivation.Parse(ctx);
        _gelu = FastGelu.For(ctx.Attributes.GetString("activation", string.Empty));
        if (ctx.ConstantInput(1) is Tensor<float> { Rank: 2 } b)
        {
            _packedB = PackedGemmMatrix.PackB(b.Span, b.Dims[1], false, b.Dims[0], b.Dims[1]);
            _constantB = b;
        }
    }

    public void Compute(KernelContext ctx)
    {
        var a = ctx.Input(0);
        var b = ctx.Input(1);
        var bias = ctx.OptionalInput(2);
        if (a.DataType != DataType.Float32 || b.DataType != DataType.Float32 || (bias is not null && bias.DataType != DataType.Float32))
        {
            throw ctx.Error($"FusedMatMul computes float32 only, got A {a.DataType.Name()}, B {b.DataType.Name()}{(bias is null ? string.Empty : ", bias " + bias.DataType.Name())}");
        }

        var plan = Nn.BatchedMatMul.Plan(ctx, ref _plan, a.Dims, b.Dims);
        // The GEMM (beta 0) writes every element of Y.
        var y = ctx.OutputUninitialized(0, DataType.Float32, plan.OutputDims);
        int n = y.Rank == 0 ? 1 : y.Dims[^1];
        if (bias is not null && (bias.Rank != 1 || bias.Dims[0] != n))
        {
            throw ctx.Error($"bias must be [{n}] (Y's last dimension; Y is {y.ShapeString}), got {bias.ShapeString}");
        }

        // Y's last axis is B's columns unless B is 1-D (then it is A's rows and the bias cannot be the epilogue).
        // The activation then runs on finished tiles inside the GEMM, unless the bias still has to be added after it.
        bool epilogueBias = bias is not null && b.Rank >= 2;
        bool epilogueActivation = bias is null || epilogueBias;
        var packedB = ReferenceEquals(b, _constantB) ? _packedB : null;
        var (clamp, post) = !epilogueActivation ? (default, null) : _gelu is not null ? (default(GemmClamp), _gelu) : _activation.ForGemm();
        Nn.BatchedMatMul.Run(ctx, plan, a, b, y, packedB, epilogueBias ? bias!.AsSpan<float>() : default, clamp, post);
        if (!epilogueActivation)
        {
            var ys = y.AsSpan<float>();
            var bs = bias!.AsSpan<float>();
            for (int row = 0; row + n <= ys.Length && n > 0; row += n)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(ys.Slice(row, n), bs, ys.Slice(row, n));
            }

            ApplyActivation(_gelu ?? (GemmPostOp)_activation, ys, ctx.IntraOpThreads);
        }
    }

    /// <summary>y = activation(y) in place, split into contiguous chunks over up to <paramref name="threads"/> threads.</summary>
    internal static unsafe void ApplyActivation(GemmPostOp activation, Span<float> y, int threads)
    {
        if (activation is FusedActivation { IsNone: true } || y.IsEmpty)
        {
            return;
        }

        if (threads <= 1 || y.Length < 2 * MinActivationChunk)
        {
            activation.Apply(y);
            return;
        }

        fixed (float* p = y)
        {
            ParallelFor.Range(y.Length, threads, MinActivationChunk, new ActivationChunks(activation, p), align: 16);
        }
    }

    private readonly unsafe struct ActivationChunks(GemmPostOp activation, float* y) : IRangeWork
    {
        public void Invoke(int start, int end) => activation.Apply(new Span<float>(y + start, end - start));
    }
}
