using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Transform;

/// <summary>
/// Tile: y[i] = x[i mod dims(x)] with dims(y)_k = dims(x)_k · repeats_k; opset 1 repeats one axis
/// (https://onnx.ai/onnx/operators/onnx__Tile.html).
/// </summary>
internal sealed class Tile : IKernel
{
    public void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        int rank = x.Rank;
        long[] repeats = ctx.Input(1).ToInt64Array();
        if (ctx.Opset < 6)
        {
            long[] axis = ctx.Input(2).ToInt64Array();
            if (repeats.Length != 1 || axis.Length != 1)
            {
                throw ctx.Error("tiles and axis must be scalars before opset 6");
            }

            repeats = TileSchema.LegacyRepeats(repeats[0], axis[0], rank, ctx.Error);
        }

        TileSchema.CheckRepeats(repeats, rank, ctx.Error);

        // y viewed as [r_0, d_0, r_1, d_1, ...] is row-major identical to y; x is read with stride 0 over each r_k.
        int[] inStrides = Elements.Strides(x.Dims);
        var dims = new int[rank];
        var viewDims = new int[2 * rank];
        var viewStrides = new int[2 * rank];
        for (int k = 0; k < rank; k++)
        {
            long dim = x.Dims[k] * repeats[k];
            dims[k] = dim <= Array.MaxLength ? (int)dim : throw ctx.Error($"repeats[{k}] = {repeats[k]} makes dimension {k} {dim} long, more than one buffer holds");
            viewDims[2 * k] = (int)repeats[k];
            viewDims[(2 * k) + 1] = x.Dims[k];
            viewStrides[(2 * k) + 1] = inStrides[k];
        }

        var y = ctx.Output(0, x.DataType, dims);
        StridedCopy.Run(x, 0, viewStrides, y, viewDims);
    }
}
