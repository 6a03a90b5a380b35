using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Sequence;

/// <summary>Input access and position checks shared by the sequence kernels.</summary>
internal static class SequenceInputs
{
    public static TensorSequence Sequence(KernelContext context, int index) => context.InputValue(index) switch
    {
        TensorSequence s => s,
        null => throw context.Error($"required sequence input {index} is missing"),
        var other => throw context.Error($"input {index} must be a sequence, got {other.Type}"),
    };

    /// <summary>
    /// Reads a scalar position and normalizes it against <paramref name="count"/>; valid positions are
    /// [-count, count) or, when <paramref name="allowEnd"/> (insertion), [-count, count].
    /// </summary>
    public static int Position(KernelContext context, Tensor position, int count, bool allowEnd)
    {
        if (position.Length != 1 || !position.DataType.IsInteger())
        {
            throw context.Error($"position must be an integer scalar, got {position.DataType.Name()}{position.ShapeString}");
        }

        long p = position.ToInt64Array()[0];
        long upper = allowEnd ? count : count - 1;
        if (p < -count || p > upper)
        {
            throw context.Error($"position {p} is out of range [{-count}, {upper}] for a sequence of {count} tensors");
        }

        return (int)(p < 0 ? p + count : p);
    }
}
