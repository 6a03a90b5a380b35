using System.Numerics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Reduction;

/// <summary>Shared ArgMax/ArgMin: int64 index of the extreme value along one axis, first occurrence or last with select_last_index.</summary>
internal sealed class ArgReduce
{
    private readonly long _axis;
    private readonly bool _keepDims;
    private readonly bool _selectLast;

    public ArgReduce(KernelCreationContext ctx)
    {
        _axis = ctx.Attributes.GetInt("axis", 0);
        _keepDims = ctx.Attributes.GetInt("keepdims", 1) != 0;
        _selectLast = ctx.Attributes.GetInt("select_last_index", 0) != 0;
    }

    /// <param name="max">True for ArgMax, false for ArgMin.</param>
    public void Compute(KernelContext ctx, bool max)
    {
        var x = ctx.Input(0);
        int rank = x.Rank;
        if (_axis < -rank || _axis >= Math.Max(rank, 1))
        {
            throw ctx.Error($"axis {_axis} is out of range for rank {rank}");
        }

        int axis = rank == 0 ? 0 : (int)(_axis < 0 ? _axis + rank : _axis);
        int n = rank == 0 ? 1 : x.Dims[axis];
        if (n == 0)
        {
            throw ctx.Error($"cannot take the arg{(max ? "max" : "min")} over axis {axis} of size 0 (input {x.ShapeString})");
        }

        int outer = 1, inner = 1;
        var dims = new List<int>();
        for (int d = 0; d < rank; d++)
        {
            if (d < axis)
            {
                outer *= x.Dims[d];
            }
            else if (d > axis)
            {
                inner *= x.Dims[d];
            }

            if (d != axis)
            {
                dims.Add(x.Dims[d]);
            }
            else if (_keepDims)
            {
                dims.Add(1);
            }
        }

        var y = ctx.Output(0, DataType.Int64, [.. dims]).AsSpan<long>();
        switch (x.DataType)
        {
            case DataType.Float32: Run<float>(x.AsSpan<float>(), y, outer, n, inner, max); break;
            case DataType.Float64: Run<double>(x.AsSpan<double>(), y, outer, n, inner, max); break;
            case DataType.Int32: Run<int>(x.AsSpan<int>(), y, outer, n, inner, max); break;
            case DataType.Int64: Run<long>(x.AsSpan<long>(), y, outer, n, inner, max); break;
            case DataType.UInt32: Run<uint>(x.AsSpan<uint>(), y, outer, n, inner, max); break;
            case DataType.UInt64: Run<ulong>(x.AsSpan<ulong>(), y, outer, n, inner, max); break;
            case DataType.Int8: Run<sbyte>(x.AsSpan<sbyte>(), y, outer, n, inner, max); break;
            case DataType.UInt8: Run<byte>(x.AsSpan<byte>(), y, outer, n, inner, max); break;
            case DataType.Int16: Run<short>(x.AsSpan<short>(), y, outer, n, inner, max); break;
            case DataType.UInt16: Run<ushort>(x.AsSpan<ushort>(), y, outer, n, inner, max); break;
            case DataType.Float16:
            case DataType.BFloat16:
                Run<float>(FloatConversion.ToFloat(x), y, outer, n, inner, max);
                break;
            default:
                throw ctx.Error($"unsupported element type {x.DataType.Name()}");
        }
    }

    private void Run<T>(ReadOnlySpan<T> x, Span<long> y, int outer, int n, int inner, bool max)
        where T : INumber<T>
    {
        for (int o = 0; o < outer; o++)
        {
            var block = x.Slice(o * n * inner, n * inner);
            for (int i = 0; i < inner; i++)
            {
                T best = block[i];
                int bestIndex = 0;
                for (int k = 1; k < n; k++)
                {
                    T v = block[(k * inner) + i];

                    // A NaN wins once seen (as numpy does); ties keep the first index unless select_last_index.
                    if (T.IsNaN(best))
                    {
                        if (_selectLast && T.IsNaN(v))
                        {
                            bestIndex = k;
                        }

                        continue;
                    }

                    bool better = T.IsNaN(v) || (max ? v > best : v < best) || (_selectLast && v == best);
                    if (better)
                    {
                        best = v;
                        bestIndex = k;
                    }
                }

                y[(o * inner) + i] = bestIndex;
            }
        }
    }
}
