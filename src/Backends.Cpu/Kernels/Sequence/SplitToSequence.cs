using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Sequence;

/// <summary>
/// SplitToSequence: splits the input along axis into a sequence: pieces of size 1 (squeezed when keepdims=0)
/// without split, equal pieces of a scalar split (the last may be shorter), or the sizes of a 1-D split
/// (https://onnx.ai/onnx/operators/onnx__SplitToSequence.html).
/// </summary>
internal sealed class SplitToSequence : IKernel
{
    private readonly long _axis;
    private readonly bool _keepDims;

    public SplitToSequence(KernelCreationContext context)
    {
        _axis = context.Attributes.GetInt("axis", 0);
        _keepDims = context.Attributes.GetInt("keepdims", 1) != 0;
    }

    public void Compute(KernelContext context)
    {
        var input = context.Input(0);
        if (_axis < -input.Rank || _axis >= input.Rank)
        {
            throw context.Error($"axis {_axis} is out of range for rank {input.Rank}");
        }

        int axis = (int)(_axis < 0 ? _axis + input.Rank : _axis);
        int dim = input.Dims[axis];
        var items = new List<Tensor>();
        var split = context.OptionalInput(1);
        if (split is null)
        {
            for (int i = 0; i < dim; i++)
            {
                items.Add(_keepDims ? AxisOps.Narrow(input, axis, i, 1) : AxisOps.Take(input, axis, i));
            }
        }
        else
        {
            foreach (var (start, length) in Pieces(context, split, dim))
            {
                items.Add(AxisOps.Narrow(input, axis, start, length));
            }
        }

        context.SetOutput(0, new TensorSequence(input.DataType, items));
    }

    private static List<(int Start, int Length)> Pieces(KernelContext context, Tensor split, int dim)
    {
        long[] sizes = split.ToInt64Array();
        var pieces = new List<(int, int)>();
        if (split.Rank == 0)
        {
            long size = sizes[0];
            if (size <= 0)
            {
                throw context.Error($"split size must be positive, got {size}");
            }

            for (int start = 0; start < dim; start += (int)Math.Min(size, dim))
            {
                pieces.Add((start, (int)Math.Min(size, dim - start)));
            }

            return pieces;
        }

        if (split.Rank != 1 || sizes.Any(s => s < 0) || sizes.Sum() != dim)
        {
            throw context.Error($"split [{string.Join(",", sizes)}] must be non-negative sizes summing to the split dimension {dim}");
        }

        int offset = 0;
        foreach (long s in sizes)
        {
            pieces.Add((offset, (int)s));
            offset += (int)s;
        }

        return pieces;
    }
}
