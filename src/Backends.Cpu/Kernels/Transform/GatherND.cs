using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Transform;

/// <summary>
/// GatherND: y[b, t] = data[b, indices[b, t, 0], ..., indices[b, t, m-1]] (a slice of data[b + m:]) for the
/// batch_dims leading batch dims b; negative indices wrap (https://onnx.ai/onnx/operators/onnx__GatherND.html).
/// </summary>
internal sealed class GatherND : IKernel
{
    private readonly int _batchDims;

    public GatherND(KernelCreationContext ctx) => _batchDims = (int)ctx.Attributes.GetInt("batch_dims", 0);

    public void Compute(KernelContext ctx)
    {
        var data = ctx.Input(0);
        var indices = ctx.Input(1);
        int b = _batchDims;
        int q = indices.Rank;
        int m = q == 0 ? 0 : indices.Dims[q - 1];
        GatherNDSchema.Check(data.Rank, q, m, b, ctx.Error);
        for (int k = 0; k < b; k++)
        {
            if (data.Dims[k] != indices.Dims[k])
            {
                throw ctx.Error($"batch dimension {k} differs between data {data.ShapeString} and indices {indices.ShapeString}");
            }
        }

        long[] raw = Indices.Read(ctx, indices);
        var dims = new List<int>(indices.Dims[..(q - 1)].ToArray());
        dims.AddRange(data.Dims[(b + m)..]);
        var y = ctx.Output(0, data.DataType, dims.ToArray());

        int[] strides = Elements.Strides(data.Dims);
        int batches = Elements.Product(data.Dims, 0, b);
        int batchStride = Elements.Product(data.Dims, b, data.Rank);
        int tuples = batches == 0 ? 0 : raw.Length / m / batches;
        int block = Elements.Product(data.Dims, b + m, data.Rank);
        var offsets = new int[batches * tuples];
        for (int batch = 0, t = 0; batch < batches; batch++)
        {
            for (int j = 0; j < tuples; j++, t++)
            {
                int off = batch * batchStride;
                for (int k = 0; k < m; k++)
                {
                    off += Indices.Wrap(ctx, raw[(t * m) + k], data.Dims[b + k], b + k) * strides[b + k];
                }

                offsets[t] = off;
            }
        }

        Elements.GatherBlocks(data, offsets, block, y);
    }
}
