using System.Numerics;
using System.Runtime.InteropServices;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Transform;

/// <summary>
/// NonZero: y[:, j] = coordinates of the j-th non-zero element of x in row-major order, y int64 [rank, count];
/// a scalar is read as shape [1] (https://onnx.ai/onnx/operators/onnx__NonZero.html).
/// </summary>
internal sealed class NonZero : IKernel
{
    public void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        List<int> positions = Positions(x);
        int[] dims = x.Rank == 0 ? [1] : x.DimsArray();
        int count = positions.Count;
        var y = ctx.Output<long>(0, [dims.Length, count]).Span;
        for (int j = 0; j < count; j++)
        {
            int p = positions[j];
            for (int k = dims.Length - 1; k >= 0; k--)
            {
                y[(k * count) + j] = p % dims[k];
                p /= dims[k];
            }
        }
    }

    /// <summary>
    /// Linear positions of the non-zero elements. Numbers are tested on their bits: any set bit is
    /// non-zero, except that floating types ignore the sign bit (-0.0 is zero; NaN is non-zero).
    /// Strings are non-zero when not empty.
    /// </summary>
    private static List<int> Positions(Tensor x)
    {
        if (x is StringTensor s)
        {
            var result = new List<int>();
            for (int i = 0; i < s.Data.Length; i++)
            {
                if (!string.IsNullOrEmpty(s.Data[i]))
                {
                    result.Add(i);
                }
            }

            return result;
        }

        return x.DataType switch
        {
            DataType.Float32 => Scan<uint>(x, 0x7FFF_FFFF),
            DataType.Float64 => Scan<ulong>(x, 0x7FFF_FFFF_FFFF_FFFF),
            DataType.Float16 or DataType.BFloat16 => Scan<ushort>(x, 0x7FFF),
            _ => x.DataType.SizeOf() switch
            {
                1 => Scan<byte>(x, byte.MaxValue),
                2 => Scan<ushort>(x, ushort.MaxValue),
                4 => Scan<uint>(x, uint.MaxValue),
                _ => Scan<ulong>(x, ulong.MaxValue),
            },
        };
    }

    private static List<int> Scan<T>(Tensor x, T mask)
        where T : unmanaged, IBinaryInteger<T>
    {
        var bits = MemoryMarshal.Cast<byte, T>(x.AsBytes());
        var result = new List<int>();
        for (int i = 0; i < bits.Length; i++)
        {
            if ((bits[i] & mask) != T.Zero)
            {
                result.Add(i);
            }
        }

        return result;
    }
}
