using System.Numerics;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Transform;

/// <summary>
/// Pad: y = x with pads_begin/pads_end elements added (or removed, when negative) on each axis, filled with
/// a constant, the mirrored interior (reflect) or the border element (edge); pads is an attribute before
/// opset 11, axes an optional input from 18 (https://onnx.ai/onnx/operators/onnx__Pad.html).
/// </summary>
internal sealed class Pad : IKernel
{
    private readonly string _mode;
    private readonly long[]? _padsAttribute;
    private readonly float _valueAttribute;

    public Pad(KernelCreationContext ctx)
    {
        _mode = ctx.Attributes.GetString("mode", "constant");
        if (_mode is not ("constant" or "reflect" or "edge"))
        {
            throw ctx.Error($"mode '{_mode}' is not supported (constant, reflect, edge)");
        }

        if (ctx.Opset < 11)
        {
            string name = ctx.Opset < 2 ? "paddings" : "pads";
            _padsAttribute = ctx.Attributes.GetInts(name) ?? throw ctx.Error($"attribute '{name}' is required before opset 11");
            _valueAttribute = ctx.Attributes.GetFloat("value", 0f);
        }
    }

    public void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        int rank = x.Rank;
        long[] pads = _padsAttribute ?? ctx.Input(1).ToInt64Array();
        long[]? axes = _padsAttribute is null ? ctx.OptionalInput(3)?.ToInt64Array() : null;
        long[] full = PadSchema.PerAxisPads(pads, axes, rank, ctx.Error);
        var dims = new int[rank];
        for (int k = 0; k < rank; k++)
        {
            long d = x.Dims[k] + full[k] + full[k + rank];
            if (d < 0 || d > int.MaxValue)
            {
                throw ctx.Error($"pads {TransformShapes.FormatLongs(pads)} give axis {k} of input {x.ShapeString} the invalid size {d}");
            }

            if (_mode != "constant" && x.Dims[k] == 0 && d > 0)
            {
                throw ctx.Error($"{_mode} mode cannot pad axis {k} of input {x.ShapeString}: it is empty");
            }

            dims[k] = (int)d;
        }

        var y = ctx.Output(0, x.DataType, dims);
        if (y.Length == 0)
        {
            return;
        }

        if (_mode == "constant")
        {
            Fill(ctx, x, y);
            CopyInterior(x, y, full);
            return;
        }

        var maps = new int[rank][];
        for (int k = 0; k < rank; k++)
        {
            maps[k] = SourceIndices(dims[k], x.Dims[k], (int)full[k], _mode == "reflect");
        }

        var offsets = new int[rank == 0 ? 1 : y.Length / dims[^1]];
        RowOffsets(maps, Elements.Strides(x.Dims), dims, offsets);
        var job = new MappedRowsJob(x, y, offsets, rank == 0 ? [0] : maps[^1]);
        Elements.Dispatch(x.DataType, ref job);
    }

    /// <summary>Source index along one axis for each output index: mirrored (without repeating the border) or clamped.</summary>
    private static int[] SourceIndices(int outDim, int inDim, int begin, bool reflect)
    {
        var map = new int[outDim];
        int period = 2 * (inDim - 1);
        for (int o = 0; o < outDim; o++)
        {
            int s = o - begin;
            if (reflect)
            {
                // Repeated reflection like numpy.pad(mode="reflect"): fold into one period, then mirror.
                int m = period == 0 ? 0 : ((s % period) + period) % period;
                map[o] = m < inDim ? m : period - m;
            }
            else
            {
                map[o] = Math.Clamp(s, 0, inDim - 1);
            }
        }

        return map;
    }

    /// <summary>For each output row (all dims but the last), the source offset of its row start.</summary>
    private static void RowOffsets(int[][] maps, int[] inStrides, int[] dims, int[] offsets)
    {
        int outerRank = dims.Length - 1;
        Span<int> coord = stackalloc int[Math.Max(outerRank, 1)];
        for (int r = 0; r < offsets.Length; r++)
        {
            int off = 0;
            for (int k = 0; k < outerRank; k++)
            {
                off += maps[k][coord[k]] * inStrides[k];
            }

            offsets[r] = off;
            for (int k = outerRank - 1; k >= 0; k--)
            {
                if (++coord[k] < dims[k])
                {
                    break;
                }

                coord[k] = 0;
            }
        }
    }

    private void Fill(KernelContext ctx, Tensor x, Tensor y)
    {
        Tensor? value = _padsAttribute is null ? ctx.OptionalInput(2) : ScalarOf(x.DataType, _valueAttribute);
        if (value is not null && (value.DataType != x.DataType || value.Length != 1))
        {
            throw ctx.Error($"constant_value must be one {x.DataType.Name()} element, got {value.DataType.Name()}{value.ShapeString}");
        }

        var job = new FillJob(y, value);
        Elements.Dispatch(y.DataType, ref job);
    }

    /// <summary>Copies the part of x that survives (negative pads crop) into its place in y.</summary>
    private static void CopyInterior(Tensor x, Tensor y, long[] full)
    {
        int rank = x.Rank;
        int[] inStrides = Elements.Strides(x.Dims);
        int[] outStrides = Elements.Strides(y.Dims);
        var counts = new int[rank];
        int srcOffset = 0;
        int dstOffset = 0;
        for (int k = 0; k < rank; k++)
        {
            long begin = full[k];
            long end = full[k + rank];
            long count = x.Dims[k] - Math.Max(0, -begin) - Math.Max(0, -end);
            if (count <= 0)
            {
                return;
            }

            counts[k] = (int)count;
            srcOffset += (int)Math.Max(0, -begin) * inStrides[k];
            dstOffset += (int)Math.Max(0, begin) * outStrides[k];
        }

        StridedCopy.Run(x, srcOffset, inStrides, y, dstOffset, outStrides, counts);
    }

    /// <summary>Pad before opset 11 takes the fill value as a float attribute; convert it to the element type.</summary>
    private static Tensor? ScalarOf(DataType type, float value)
    {
        var job = new ScalarJob(value);
        return Elements.DispatchNumeric(type, ref job) ? job.Result : type == DataType.BFloat16 ? Tensor.Scalar((BFloat16)value) : null;
    }

    private struct ScalarJob(float value) : INumericAction
    {
        public Tensor? Result { get; private set; }

        public void Invoke<T>()
            where T : unmanaged, INumber<T> => Result = Tensor.Scalar(T.CreateSaturating(value));
    }

    private readonly struct FillJob(Tensor y, Tensor? value) : IElementAction
    {
        public void Invoke<T>() => Elements.Of<T>(y).Fill(value is null ? Elements.Zero<T>() : Elements.Of<T>(value)[0]);
    }

    private readonly struct MappedRowsJob(Tensor x, Tensor y, int[] rowOffsets, int[] lastMap) : IElementAction
    {
        public void Invoke<T>()
        {
            var src = Elements.Of<T>(x);
            var dst = Elements.Of<T>(y);
            int n = lastMap.Length;
            for (int r = 0; r < rowOffsets.Length; r++)
            {
                int s = rowOffsets[r];
                var row = dst.Slice(r * n, n);
                for (int i = 0; i < n; i++)
                {
                    row[i] = src[s + lastMap[i]];
                }
            }
        }
    }
}
