using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Misc;

/// <summary>Reads the R, T and tensor blocks shared by the training optimizers and writes their outputs.</summary>
internal static class OptimizerInputs
{
    /// <summary>Returns (R, T, n) after checking there are 2 + blocks * n inputs.</summary>
    public static (double R, long T, int N) Read(KernelContext context, int blocks)
    {
        int n = (context.InputCount - 2) / blocks;
        if (n < 1 || context.InputCount != 2 + (blocks * n))
        {
            throw context.Error($"expected 2 + {blocks}n inputs, got {context.InputCount}");
        }

        var r = context.Input(0);
        var t = context.Input(1);
        if (r.Length != 1 || t.Length != 1 || !t.DataType.IsInteger())
        {
            throw context.Error($"R must be a float scalar and T an int64 scalar, got {r.DataType.Name()}{r.ShapeString} and {t.DataType.Name()}{t.ShapeString}");
        }

        return (r.ToDoubleArray()[0], t.ToInt64Array()[0], n);
    }

    /// <summary>Input tensor j of block <paramref name="block"/> (0 = X, 1 = G, 2.. = state) as doubles, checked against X's shape.</summary>
    public static double[] Block(KernelContext context, int n, int block, int j)
    {
        var x = context.Input(2 + j);
        var t = context.Input(2 + (block * n) + j);
        if (!t.Dims.SequenceEqual(x.Dims) || !t.DataType.IsFloatingPoint())
        {
            throw context.Error($"input {2 + (block * n) + j} ({t.DataType.Name()}{t.ShapeString}) must be a float tensor shaped like X {x.ShapeString}");
        }

        return t.ToDoubleArray();
    }

    public static void Write(KernelContext context, int output, Tensor like, double[] values) =>
        DoubleStore.Store(context.Output(output, like.DataType, like.Dims), values);
}
