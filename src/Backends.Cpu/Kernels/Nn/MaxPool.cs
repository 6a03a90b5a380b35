using System.Numerics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nn;

/// <summary>
/// MaxPool: Y[n, c, o] = max of X[n, c, o * s - pad + kk * d] over the window (padding excluded), optional Indices
/// output = flat index of the max in X (storage_order 1: spatial part column-major), with ceil_mode, dilations and
/// auto_pad (https://onnx.ai/onnx/operators/onnx__MaxPool.html).
/// </summary>
internal sealed class MaxPool : IKernel
{
    private readonly ConvGeometry _geometry;
    private readonly bool _columnMajor;

    public MaxPool(KernelCreationContext ctx)
    {
        _geometry = ConvGeometry.Parse(ctx.Node);
        _columnMajor = ctx.Attributes.GetInt("storage_order", 0) != 0;
    }

    public void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        if (x.Rank < 3)
        {
            throw ctx.Error($"input X must have rank >= 3 ([N, C, D1, ...]), got shape {x.ShapeString}");
        }

        var plan = ConvPlan.Forward(ctx, _geometry, x.Dims, default, kernelRequired: true);
        var yDims = x.DimsArray();
        plan.Output.CopyTo(yDims, 2);
        var y = ctx.Output(0, x.DataType, yDims);
        int planes = x.Dims[0] * x.Dims[1];
        Span<long> indices = ctx.IsOutputRequested(1) ? ctx.Output(1, DataType.Int64, yDims).AsSpan<long>() : default;
        switch (x.DataType)
        {
            case DataType.Float32: WindowPool.Run(x.AsSpan<float>(), y.AsSpan<float>(), indices, planes, plan, default(MaxAccumulator<float>)); break;
            case DataType.Float64: WindowPool.Run(x.AsSpan<double>(), y.AsSpan<double>(), indices, planes, plan, default(MaxAccumulator<double>)); break;
            case DataType.Int8: WindowPool.Run(x.AsSpan<sbyte>(), y.AsSpan<sbyte>(), indices, planes, plan, default(MaxAccumulator<sbyte>)); break;
            case DataType.UInt8: WindowPool.Run(x.AsSpan<byte>(), y.AsSpan<byte>(), indices, planes, plan, default(MaxAccumulator<byte>)); break;
            case DataType.Float16:
            case DataType.BFloat16:
                var yf = new float[y.Length];
                WindowPool.Run<float, MaxAccumulator<float>>(FloatConversion.ToFloat(x), yf, indices, planes, plan, default);
                FloatConversion.FromFloat(yf, y);
                break;
            default:
                throw ctx.Error($"unsupported element type {x.DataType.Name()}");
        }

        if (_columnMajor && !indices.IsEmpty)
        {
            ToColumnMajor(indices, plan.Input);
        }
    }

    /// <summary>Rewrites the spatial part of each flat index from row-major to column-major order.</summary>
    private static void ToColumnMajor(Span<long> indices, int[] spatial)
    {
        long size = 1;
        foreach (int d in spatial)
        {
            size *= d;
        }

        for (int i = 0; i < indices.Length; i++)
        {
            long plane = indices[i] / size;
            long rest = indices[i] % size;
            long colMajor = 0;
            long stride = size;
            long colStride = 1;
            for (int d = 0; d < spatial.Length; d++)
            {
                stride /= spatial[d];
                long coord = rest / stride;
                rest %= stride;
                colMajor += coord * colStride;
                colStride *= spatial[d];
            }

            indices[i] = (plane * size) + colMajor;
        }
    }
}
