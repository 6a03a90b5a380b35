using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Sequence;

/// <summary>
/// ConcatFromSequence: concatenates the sequence's tensors along axis, or stacks them on a new axis when
/// new_axis = 1 (https://onnx.ai/onnx/operators/onnx__ConcatFromSequence.html).
/// </summary>
internal sealed class ConcatFromSequence : IKernel
{
    private readonly long _axis;
    private readonly bool _newAxis;

    public ConcatFromSequence(KernelCreationContext context)
    {
        _axis = context.Attributes.GetInt("axis");
        _newAxis = context.Attributes.GetInt("new_axis", 0) == 1;
    }

    public void Compute(KernelContext context)
    {
        var sequence = SequenceInputs.Sequence(context, 0);
        var items = sequence.Items;
        if (items.Count == 0)
        {
            throw context.Error("cannot concatenate an empty sequence");
        }

        int rank = items[0].Rank + (_newAxis ? 1 : 0);
        if (_axis < -rank || _axis >= rank || rank == 0)
        {
            throw context.Error($"axis {_axis} is out of range for rank {rank}");
        }

        int axis = (int)(_axis < 0 ? _axis + rank : _axis);
        for (int i = 1; i < items.Count; i++)
        {
            bool compatible = items[i].Rank == items[0].Rank && Enumerable.Range(0, items[0].Rank).All(d => (!_newAxis && d == axis) || items[i].Dims[d] == items[0].Dims[d]);
            if (!compatible)
            {
                throw context.Error($"tensor {i} has shape {items[i].ShapeString}, incompatible with tensor 0's {items[0].ShapeString} for {(_newAxis ? "stacking" : "concatenation")} on axis {axis}");
            }
        }

        context.SetOutput(0, _newAxis ? AxisOps.Stack(items, axis) : AxisOps.Concat(items, axis));
    }
}
