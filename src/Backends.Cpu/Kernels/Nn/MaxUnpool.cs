using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nn;

/// <summary>
/// MaxUnpool: Y = zeros of output_shape (or [N, C, (in - 1) * stride + kernel - pads]); Y.flat[I[i]] = X[i]
/// (https://onnx.ai/onnx/operators/onnx__MaxUnpool.html).
/// </summary>
internal sealed class MaxUnpool : IKernel
{
    private readonly ConvGeometry _geometry;

    public MaxUnpool(KernelCreationContext ctx)
    {
        _geometry = ConvGeometry.Parse(ctx.Node);
    }

    public void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        var indices = ctx.Input(1);
        var shapeInput = ctx.OptionalInput(2);
        if (x.Rank < 3)
        {
            throw ctx.Error($"input X must have rank >= 3 ([N, C, D1, ...]), got shape {x.ShapeString}");
        }

        if (!indices.Dims.SequenceEqual(x.Dims))
        {
            throw ctx.Error($"indices I {indices.ShapeString} must have the shape of X {x.ShapeString}");
        }

        int spatial = x.Rank - 2;
        if (_geometry.Validate(spatial, kernelRequired: true) is { } error)
        {
            throw ctx.Error(error);
        }

        // Indices address the natural output [N, C, (in - 1) * stride + kernel - pads]; a larger output_shape pads
        // that result with zeros at the end of each spatial axis (as onnxruntime and the ONNX tests do).
        var natural = x.DimsArray();
        for (int i = 0; i < spatial; i++)
        {
            long d = ((x.Dims[i + 2] - 1) * _geometry.Stride(i)) + _geometry.KernelShape![i] - _geometry.PadBegin(i) - _geometry.PadEnd(i, spatial);
            if (d <= 0)
            {
                throw ctx.Error($"output spatial dimension {i} would be {d}");
            }

            natural[i + 2] = checked((int)d);
        }

        int[] yDims = natural;
        if (shapeInput is not null)
        {
            yDims = shapeInput.ToInt64Array().Select(v => checked((int)v)).ToArray();
            bool fits = yDims.Length == x.Rank;
            for (int i = 0; fits && i < x.Rank; i++)
            {
                fits = i < 2 ? yDims[i] == natural[i] : yDims[i] >= natural[i];
            }

            if (!fits)
            {
                throw ctx.Error($"output_shape {Shape.Format(yDims)} must be [N, C, ...] of rank {x.Rank} and at least the unpooled shape {Shape.Format(natural)}");
            }
        }

        long naturalSize = 1;
        foreach (int d in natural)
        {
            naturalSize *= d;
        }

        var y = ctx.Output(0, x.DataType, yDims);
        long[] idx = indices.ToInt64Array();
        int elem = x.DataType.SizeOf();
        var src = x.AsBytes();
        var dst = y.AsBytes();

        // Allocated outputs are not guaranteed to be zeroed (arena buffers are reused): every unscattered element is 0.
        dst.Clear();
        for (int i = 0; i < idx.Length; i++)
        {
            if ((ulong)idx[i] >= (ulong)naturalSize)
            {
                throw ctx.Error($"indices value {idx[i]} at position {i} is out of range [0, {naturalSize}) for the unpooled shape {Shape.Format(natural)}");
            }

            long target = Remap(idx[i], natural, yDims);
            src.Slice(i * elem, elem).CopyTo(dst.Slice((int)target * elem, elem));
        }
    }

    /// <summary>The flat offset in <paramref name="to"/> of the element at flat offset <paramref name="index"/> in <paramref name="from"/> (same coordinates).</summary>
    private static long Remap(long index, int[] from, int[] to)
    {
        if (from.AsSpan().SequenceEqual(to))
        {
            return index;
        }

        long result = 0;
        long scale = 1;
        for (int d = from.Length - 1; d >= 0; d--)
        {
            long coord = index % from[d];
            index /= from[d];
            result += coord * scale;
            scale *= to[d];
        }

        return result;
    }
}
