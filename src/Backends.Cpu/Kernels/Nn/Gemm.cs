using System.Numerics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;
using Blas = OpenAutoGlm.Backends.Cpu.Simd.Gemm;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nn;

/// <summary>
/// Gemm: Y = alpha * A' * B' + beta * C, A' = transA ? A^T : A, B' = transB ? B^T : B, C broadcast
/// unidirectionally to [M, N] and optional from opset 11 (https://onnx.ai/onnx/operators/onnx__Gemm.html).
/// A constant float32 B is packed for the GEMM once, when the kernel is created; a constant C of shape [N] or [1, N]
/// becomes beta * C added in the GEMM epilogue.
/// </summary>
internal sealed class Gemm : IKernel
{
    private readonly float _alpha;
    private readonly float _beta;
    private readonly bool _transA;
    private readonly bool _transB;
    private readonly Tensor? _constantB;
    private readonly PackedGemmMatrix? _packedB;
    private readonly Tensor? _constantC;
    private readonly float[]? _columnBias;

    public Gemm(KernelCreationContext ctx)
    {
        _alpha = ctx.Attributes.GetFloat("alpha", 1f);
        _beta = ctx.Attributes.GetFloat("beta", 1f);
        _transA = ctx.Attributes.GetInt("transA", 0) != 0;
        _transB = ctx.Attributes.GetInt("transB", 0) != 0;
        if (ctx.ConstantInput(1) is Tensor<float> { Rank: 2 } b)
        {
            int n = _transB ? b.Dims[0] : b.Dims[1], k = _transB ? b.Dims[1] : b.Dims[0];
            _packedB = PackedGemmMatrix.PackB(b.Span, b.Dims[1], _transB, k, n);
            _constantB = b;
        }

        if (ctx.ConstantInput(2) is Tensor<float> { Rank: 1 or 2 } c && (c.Rank == 1 || c.Dims[0] == 1) && c.Dims[^1] > 1)
        {
            _columnBias = new float[c.Length];
            System.Numerics.Tensors.TensorPrimitives.Multiply(c.Span, _beta, _columnBias);
            _constantC = c;
        }
    }

    public void Compute(KernelContext ctx) => Run(ctx);

    /// <summary>Computes output 0 and returns it (the fused ops of ai.autoglm apply their epilogue to it).</summary>
    internal Tensor Run(KernelContext ctx)
    {
        var a = ctx.Input(0);
        var b = ctx.Input(1);
        var c = ctx.OptionalInput(2);
        if (a.Rank != 2 || b.Rank != 2)
        {
            throw ctx.Error($"A and B must be 2-D, got {a.ShapeString} and {b.ShapeString}");
        }

        if (a.DataType != b.DataType || (c is not null && c.DataType != a.DataType))
        {
            throw ctx.Error($"A, B and C must have the same dtype, got {a.DataType.Name()}, {b.DataType.Name()}{(c is null ? string.Empty : ", " + c.DataType.Name())}");
        }

        int m = _transA ? a.Dims[1] : a.Dims[0];
        int k = _transA ? a.Dims[0] : a.Dims[1];
        int n = _transB ? b.Dims[0] : b.Dims[1];
        int kb = _transB ? b.Dims[1] : b.Dims[0];
        if (k != kb)
        {
            throw ctx.Error($"inner dimensions do not match: A {a.ShapeString}{(_transA ? " (transA)" : string.Empty)} has K={k}, B {b.ShapeString}{(_transB ? " (transB)" : string.Empty)} has K={kb}");
        }

        if (c is not null && !CanBroadcast(c.Dims, m, n))
        {
            throw ctx.Error($"C {c.ShapeString} cannot be broadcast to [{m},{n}]");
        }

        // Every element of Y is written: C broadcast into it, or the GEMM / GEMV with beta 0.
        var y = ctx.OutputUninitialized(0, a.DataType, [m, n]);
        switch (a.DataType)
        {
            case DataType.Float32:
            {
                var ys = y.AsSpan<float>();
                bool biasC = _columnBias is not null && ReferenceEquals(c, _constantC) && _columnBias.Length == n;
                var packedB = ReferenceEquals(b, _constantB) ? _packedB : null;

                // A few rows against the packed weight (a pooler, a classifier head at batch 1): the bandwidth-bound GEMV.
                if (packedB is not null && !_transA && _alpha == 1f && (c is null || _beta == 0f || biasC)
                    && GemmSmallM.TryRunPacked(m, n, k, a.AsSpan<float>(), a.Dims[1], packedB, ys, n, biasC ? _columnBias : default, ctx.IntraOpThreads))
                {
                    break;
                }

                float beta = biasC ? 0f : FillC(c is not null, c is null ? default : c.AsSpan<float>(), c is null ? default : c.Dims, ys, m, n);
                Blas.Sgemm(
                    _transA, _transB, m, n, k, _alpha, a.AsSpan<float>(), a.Dims[1], b.AsSpan<float>(), b.Dims[1], beta, ys, n,
                    ctx.IntraOpThreads, packedB: packedB, colBias: biasC ? _columnBias : default);
                break;
            }

            case DataType.Float16:
            case DataType.BFloat16:
            {
                var ys = new float[m * n];
                float beta = FillC(c is not null, c is null ? default : FloatConversion.ToFloat(c), c is null ? default : c.Dims, ys, m, n);
                Blas.Sgemm(_transA, _transB, m, n, k, _alpha, FloatConversion.ToFloat(a), a.Dims[1], FloatConversion.ToFloat(b), b.Dims[1], beta, ys, n, ctx.IntraOpThreads);
                FloatConversion.FromFloat(ys, y);
                break;
            }

            case DataType.Float64: RunGeneric<double>(a, b, c, y, m, n, k); break;
            case DataType.Int32: RunGeneric<int>(a, b, c, y, m, n, k); break;
            case DataType.Int64: RunGeneric<long>(a, b, c, y, m, n, k); break;
            case DataType.UInt32: RunGeneric<uint>(a, b, c, y, m, n, k); break;
            case DataType.UInt64: RunGeneric<ulong>(a, b, c, y, m, n, k); break;
            default:
                throw ctx.Error($"unsupported element type {a.DataType.Name()}");
        }

        return y;
    }

    private void RunGeneric<T>(Tensor a, Tensor b, Tensor? c, Tensor y, int m, int n, int k)
        where T : unmanaged, INumber<T>
    {
        var ys = y.AsSpan<T>();
        T beta = T.Zero;
        if (c is not null && _beta != 0)
        {
            Broadcast(c.AsSpan<T>(), c.Dims, ys, m, n);
            beta = T.CreateTruncating(_beta);
        }

        Blas.Generic(_transA, _transB, m, n, k, T.CreateTruncating(_alpha), a.AsSpan<T>(), a.Dims[1], b.AsSpan<T>(), b.Dims[1], beta, ys, n);
    }

    /// <summary>Writes C broadcast to [M, N] into Y and returns the beta the GEMM must apply (0 when there is no C).</summary>
    private float FillC(bool hasC, ReadOnlySpan<float> c, ReadOnlySpan<int> cDims, Span<float> y, int m, int n)
    {
        if (!hasC || _beta == 0)
        {
            return 0f;
        }

        Broadcast(c, cDims, y, m, n);
        return _beta;
    }

    private static bool CanBroadcast(ReadOnlySpan<int> dims, int m, int n) => dims.Length switch
    {
        0 => true,
        1 => dims[0] == n || dims[0] == 1,
        2 => (dims[0] == m || dims[0] == 1) && (dims[1] == n || dims[1] == 1),
        _ => false,
    };

    /// <summary>y [M, N] = C broadcast unidirectionally (C is [], [N], [1], [M, N], [M, 1], [1, N] or [1, 1]).</summary>
    private static void Broadcast<T>(ReadOnlySpan<T> c, ReadOnlySpan<int> dims, Span<T> y, int m, int n)
    {
        int rows = dims.Length == 2 ? dims[0] : 1;
        int cols = dims.Length >= 1 ? dims[^1] : 1;
        for (int i = 0; i < m; i++)
        {
            var src = c.Slice(rows == 1 ? 0 : i * cols, cols);
            var dst = y.Slice(i * n, n);
            if (cols == n)
            {
                src.CopyTo(dst);
            }
            else
            {
                dst.Fill(src[0]);
            }
        }
    }
}
