using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Transform;

/// <summary>
/// Gather: y[o, j, i] = data[o, indices[j], i] over data viewed as [outer, dims[axis], inner]; negative
/// indices wrap (https://onnx.ai/onnx/operators/onnx__Gather.html).
/// </summary>
internal sealed class Gather : IKernel
{
    private readonly long _axis;

    public Gather(KernelCreationContext ctx) => _axis = ctx.Attributes.GetInt("axis", 0);

    public void Compute(KernelContext ctx)
    {
        var data = ctx.Input(0);
        var indices = ctx.Input(1);
        if (data.Rank == 0)
        {
            throw ctx.Error("data must have rank >= 1, got a scalar");
        }

        int rank = data.Rank;
        if (_axis < -rank || _axis >= rank)
        {
            throw ctx.Error($"axis {_axis} is out of range [{-rank}, {rank - 1}] for rank {rank}");
        }

        if (indices.DataType is not (DataType.Int32 or DataType.Int64))
        {
            throw ctx.Error($"indices must be int32 or int64, got {indices.DataType.Name()}");
        }

        int axis = (int)(_axis < 0 ? _axis + rank : _axis);
        int axisDim = data.Dims[axis];
        int count = indices.Length;
        for (int j = 0; j < count; j++)
        {
            Indices.Wrap(ctx, IndexAt(indices, j), axisDim, axis);
        }

        // y dims: data.dims[..axis] ++ indices.dims ++ data.dims[axis+1..]
        Span<int> dims = stackalloc int[rank + indices.Rank - 1];
        data.Dims[..axis].CopyTo(dims);
        indices.Dims.CopyTo(dims[axis..]);
        data.Dims[(axis + 1)..].CopyTo(dims[(axis + indices.Rank)..]);
        var y = ctx.Output(0, data.DataType, dims);

        int outer = Elements.Product(data.Dims, 0, axis);
        int inner = Elements.Product(data.Dims, axis + 1, rank);
        if (inner == 0)
        {
            return;
        }

        for (int o = 0; o < outer; o++)
        {
            for (int j = 0; j < count; j++)
            {
                long v = IndexAt(indices, j);
                int index = (int)(v < 0 ? v + axisDim : v);
                Elements.Copy(data, ((o * axisDim) + index) * inner, y, ((o * count) + j) * inner, inner);
            }
        }
    }

    private static long IndexAt(Tensor indices, int j) =>
        indices.DataType == DataType.Int64 ? indices.AsReadOnlySpan<long>()[j] : indices.AsReadOnlySpan<int>()[j];
}
