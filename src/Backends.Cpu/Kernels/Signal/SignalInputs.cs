using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Signal;

/// <summary>Validation shared by the signal ops: scalar parameters, output_datatype and complex-last-axis inputs.</summary>
internal static class SignalInputs
{
    /// <summary>The single integer of input <paramref name="index"/> (a scalar or a one-element tensor).</summary>
    public static long ScalarInt(KernelContext context, int index, string name)
    {
        var t = context.Input(index);
        if (t.Length != 1 || t.Rank > 1)
        {
            throw context.Error($"input '{name}' must be a scalar, got shape {t.ShapeString}");
        }

        if (!t.DataType.IsInteger())
        {
            throw context.Error($"input '{name}' must be an integer, got {t.DataType.Name()}");
        }

        return t.ToInt64Array()[0];
    }

    /// <summary>The single floating-point value of input <paramref name="index"/>.</summary>
    public static double ScalarFloat(KernelContext context, int index, string name)
    {
        var t = context.Input(index);
        if (t.Length != 1 || t.Rank > 1)
        {
            throw context.Error($"input '{name}' must be a scalar, got shape {t.ShapeString}");
        }

        if (!t.DataType.IsFloatingPoint())
        {
            throw context.Error($"input '{name}' must be floating point, got {t.DataType.Name()}");
        }

        return t.ToDoubleArray()[0];
    }

    /// <summary>The output_datatype attribute (float32 by default); only numeric types are allowed.</summary>
    public static DataType OutputDataType(KernelCreationContext context)
    {
        var type = (DataType)context.Attributes.GetInt("output_datatype", (long)DataType.Float32);
        if (!type.IsNumeric())
        {
            throw context.Error($"output_datatype must be a numeric type, got {type.Name()}");
        }

        return type;
    }

    /// <summary>Checks a float tensor whose last axis holds (real) or (real, imaginary); returns whether it is complex.</summary>
    public static bool CheckComplexLayout(KernelContext context, Tensor x, string name, int minRank)
    {
        if (!x.DataType.IsFloatingPoint())
        {
            throw context.Error($"input '{name}' must be floating point, got {x.DataType.Name()}");
        }

        if (x.Rank < minRank)
        {
            throw context.Error($"input '{name}' must have rank >= {minRank}, got shape {x.ShapeString}");
        }

        int last = x.Dims[^1];
        if (last is not (1 or 2))
        {
            throw context.Error($"the last axis of input '{name}' must be 1 (real) or 2 (complex), got shape {x.ShapeString}");
        }

        return last == 2;
    }
}
