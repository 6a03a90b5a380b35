using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Transform;

/// <summary>
/// ScatterND: y = data; y[indices[t]] = reduce(y[indices[t]], updates[t]) for each index tuple t in order
/// (reduction none/add/mul from opset 16, max/min from 18); negative indices wrap
/// (https://onnx.ai/onnx/operators/onnx__ScatterND.html).
/// </summary>
internal sealed class ScatterND : IKernel
{
    private readonly ScatterReduction _reduction;

    public ScatterND(KernelCreationContext ctx) => _reduction = ScatterUpdate.ParseReduction(ctx);

    public void Compute(KernelContext ctx)
    {
        var data = ctx.Input(0);
        var indices = ctx.Input(1);
        var updates = ctx.Input(2);
        int r = data.Rank;
        int q = indices.Rank;
        int m = q == 0 ? 0 : indices.Dims[q - 1];
        if (r < 1 || q < 1 || m < 1 || m > r)
        {
            throw ctx.Error($"data {data.ShapeString} and indices {indices.ShapeString} need ranks >= 1 and indices.shape[-1] in [1, {r}]");
        }

        // updates.shape must be indices.shape[:-1] + data.shape[m:].
        var expected = new List<int>(indices.Dims[..(q - 1)].ToArray());
        expected.AddRange(data.Dims[m..]);
        if (!updates.Dims.SequenceEqual(expected.ToArray()))
        {
            throw ctx.Error($"updates {updates.ShapeString} must have shape {Core.Shape.Format(expected.ToArray())} (indices.shape[:-1] + data.shape[{m}:])");
        }

        long[] raw = Indices.Read(ctx, indices);
        int[] strides = Elements.Strides(data.Dims);
        int tuples = raw.Length / m;
        var offsets = new int[tuples];
        for (int t = 0; t < tuples; t++)
        {
            int off = 0;
            for (int k = 0; k < m; k++)
            {
                off += Indices.Wrap(ctx, raw[(t * m) + k], data.Dims[k], k) * strides[k];
            }

            offsets[t] = off;
        }

        ScatterUpdate.Run(ctx, data, updates, offsets, Elements.Product(data.Dims, m, r), _reduction);
    }
}
