using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Transform;

/// <summary>
/// ReverseSequence: for each batch entry b, y[b, t] = x[b, len_b - 1 - t] for t &lt; len_b and x[b, t]
/// otherwise, with batch/time axes 0 and 1 in either order (https://onnx.ai/onnx/operators/onnx__ReverseSequence.html).
/// </summary>
internal sealed class ReverseSequence : IKernel
{
    private readonly int _batchAxis;
    private readonly int _timeAxis;

    public ReverseSequence(KernelCreationContext ctx)
    {
        long batch = ctx.Attributes.GetInt("batch_axis", 1);
        long time = ctx.Attributes.GetInt("time_axis", 0);
        if (batch is not (0 or 1) || time is not (0 or 1) || batch == time)
        {
            throw ctx.Error($"batch_axis ({batch}) and time_axis ({time}) must be 0 and 1 in some order");
        }

        _batchAxis = (int)batch;
        _timeAxis = (int)time;
    }

    public void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        var lensTensor = ctx.Input(1);
        if (x.Rank < 2)
        {
            throw ctx.Error($"input must have rank >= 2, got {x.ShapeString}");
        }

        int batch = x.Dims[_batchAxis], time = x.Dims[_timeAxis];
        long[] lens = lensTensor.ToInt64Array();
        if (lens.Length != batch)
        {
            throw ctx.Error($"sequence_lens has {lens.Length} entries but the batch axis {_batchAxis} of input {x.ShapeString} has {batch}");
        }

        for (int i = 0; i < batch; i++)
        {
            if (lens[i] < 0 || lens[i] > time)
            {
                throw ctx.Error($"sequence_lens value {lens[i]} (batch {i}) is out of range [0, {time}]");
            }
        }

        int[] strides = Elements.Strides(x.Dims);
        int inner = Elements.Product(x.Dims, 2, x.Rank);
        var offsets = new int[x.Dims[0] * x.Dims[1]];
        for (int d0 = 0, p = 0; d0 < x.Dims[0]; d0++)
        {
            for (int d1 = 0; d1 < x.Dims[1]; d1++, p++)
            {
                int b = _batchAxis == 0 ? d0 : d1;
                int t = _batchAxis == 0 ? d1 : d0;
                int src = t < lens[b] ? (int)lens[b] - 1 - t : t;
                offsets[p] = (b * strides[_batchAxis]) + (src * strides[_timeAxis]);
            }
        }

        var y = ctx.Output(0, x.DataType, x.Dims);
        Elements.GatherBlocks(x, offsets, inner, y);
    }
}
