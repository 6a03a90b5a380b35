using System.Runtime.InteropServices;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>
/// Where: output = condition ? X : Y elementwise with the three inputs broadcast together, for any element
/// type (https://onnx.ai/onnx/operators/onnx__Where.html). Numeric elements move as raw bits of their size.
/// </summary>
internal sealed class Where : IKernel
{
    public void Compute(KernelContext context)
    {
        var cond = context.Input(0);
        var x = context.Input(1);
        var y = context.Input(2);
        if (cond.DataType != DataType.Bool)
        {
            throw context.Error($"condition must be bool, got {cond.DataType.Name()}");
        }

        if (x.DataType != y.DataType)
        {
            throw context.Error($"X and Y must have the same dtype, got {x.DataType.Name()} and {y.DataType.Name()}");
        }

        int[] dims;
        try
        {
            dims = ShapeRules.Broadcast(ShapeRules.Broadcast(cond.Dims, x.Dims), y.Dims);
        }
        catch (ShapeInferenceException ex)
        {
            throw context.Error($"condition {cond.ShapeString}, X {x.ShapeString} and Y {y.ShapeString} cannot be broadcast together: {ex.Message}");
        }

        var output = context.Output(0, x.DataType, dims);
        var c = cond.AsSpan<bool>();
        if (x is StringTensor xs)
        {
            Select<string>(c, cond.Dims, xs.Data, x.Dims, ((StringTensor)y).Data, y.Dims, ((StringTensor)output).Data, dims);
            return;
        }

        switch (x.DataType.SizeOf())
        {
            case 1: Select<byte>(c, cond.Dims, x.AsBytes(), x.Dims, y.AsBytes(), y.Dims, output.AsBytes(), dims); break;
            case 2: Select<ushort>(c, cond.Dims, Bits<ushort>(x), x.Dims, Bits<ushort>(y), y.Dims, Bits<ushort>(output), dims); break;
            case 4: Select<uint>(c, cond.Dims, Bits<uint>(x), x.Dims, Bits<uint>(y), y.Dims, Bits<uint>(output), dims); break;
            case 8: Select<ulong>(c, cond.Dims, Bits<ulong>(x), x.Dims, Bits<ulong>(y), y.Dims, Bits<ulong>(output), dims); break;
            default: throw context.Error($"unsupported element type {x.DataType.Name()}");
        }
    }

    private static Span<T> Bits<T>(Tensor t)
        where T : struct => MemoryMarshal.Cast<byte, T>(t.AsBytes());

    /// <summary>Walks the output row by row (last dim innermost), keeping each input's offset by its broadcast strides.</summary>
    private static void Select<T>(ReadOnlySpan<bool> c, ReadOnlySpan<int> cDims, ReadOnlySpan<T> a, ReadOnlySpan<int> aDims, ReadOnlySpan<T> b, ReadOnlySpan<int> bDims, Span<T> o, int[] dims)
    {
        if (o.Length == 0)
        {
            return;
        }

        int rank = dims.Length;
        Span<long> cs = stackalloc long[rank];
        Span<long> aStride = stackalloc long[rank];
        Span<long> bStride = stackalloc long[rank];
        BroadcastDriver.Strides(cDims, dims, cs);
        BroadcastDriver.Strides(aDims, dims, aStride);
        BroadcastDriver.Strides(bDims, dims, bStride);

        int inner = rank == 0 ? 1 : dims[rank - 1];
        long ci = rank == 0 ? 0 : cs[rank - 1];
        long ai = rank == 0 ? 0 : aStride[rank - 1];
        long bi = rank == 0 ? 0 : bStride[rank - 1];
        Span<int> index = stackalloc int[Math.Max(rank - 1, 0)];
        index.Clear();
        long cOff = 0;
        long aOff = 0;
        long bOff = 0;
        for (int row = 0; row < o.Length / inner; row++)
        {
            var dst = o.Slice(row * inner, inner);
            for (int j = 0; j < inner; j++)
            {
                dst[j] = c[(int)(cOff + (j * ci))] ? a[(int)(aOff + (j * ai))] : b[(int)(bOff + (j * bi))];
            }

            for (int d = rank - 2; d >= 0; d--)
            {
                index[d]++;
                cOff += cs[d];
                aOff += aStride[d];
                bOff += bStride[d];
                if (index[d] < dims[d])
                {
                    break;
                }

                cOff -= cs[d] * dims[d];
                aOff -= aStride[d] * dims[d];
                bOff -= bStride[d] * dims[d];
                index[d] = 0;
            }
        }
    }
}
