using System.Numerics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>
/// BitShift: Z = X &lt;&lt; Y or X &gt;&gt; Y (direction "LEFT"/"RIGHT") on unsigned integers with broadcasting; a shift
/// by the bit width or more gives 0 (https://onnx.ai/onnx/operators/onnx__BitShift.html).
/// </summary>
internal sealed class BitShift : IKernel
{
    private readonly bool _left;

    public BitShift(KernelCreationContext context)
    {
        string direction = context.Attributes.GetString("direction");
        _left = direction switch
        {
            "LEFT" => true,
            "RIGHT" => false,
            _ => throw context.Error($"attribute direction must be \"LEFT\" or \"RIGHT\", got \"{direction}\""),
        };
    }

    public void Compute(KernelContext context)
    {
        var x = context.Input(0);
        var y = context.Input(1);
        if (x.DataType != y.DataType)
        {
            throw context.Error($"inputs must have the same dtype, got {x.DataType.Name()} and {y.DataType.Name()}");
        }

        var yDims = y.DimsArray();
        var dims = BinaryBroadcast.Resolve(context, x.Dims, ref yDims);
        var z = context.Output(0, x.DataType, dims);
        switch (x.DataType)
        {
            case DataType.UInt8: Run<byte>(x, y, yDims, z, dims); break;
            case DataType.UInt16: Run<ushort>(x, y, yDims, z, dims); break;
            case DataType.UInt32: Run<uint>(x, y, yDims, z, dims); break;
            case DataType.UInt64: Run<ulong>(x, y, yDims, z, dims); break;
            default: throw context.Error($"BitShift needs unsigned integers, got {x.DataType.Name()}");
        }
    }

    private void Run<T>(Tensor x, Tensor y, int[] yDims, Tensor z, int[] dims)
        where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
    {
        if (_left)
        {
            BroadcastDriver.Run<T, T, LeftOp<T>>(x.AsSpan<T>(), x.Dims, y.AsSpan<T>(), yDims, z.AsSpan<T>(), dims);
        }
        else
        {
            BroadcastDriver.Run<T, T, RightOp<T>>(x.AsSpan<T>(), x.Dims, y.AsSpan<T>(), yDims, z.AsSpan<T>(), dims);
        }
    }

    private readonly struct LeftOp<T> : IBinaryOperator<T, T>
        where T : IBinaryInteger<T>, IUnsignedNumber<T>
    {
        public static T Invoke(T a, T b) => b < T.CreateTruncating(Bits<T>()) ? a << int.CreateTruncating(b) : T.Zero;
    }

    private readonly struct RightOp<T> : IBinaryOperator<T, T>
        where T : IBinaryInteger<T>, IUnsignedNumber<T>
    {
        public static T Invoke(T a, T b) => b < T.CreateTruncating(Bits<T>()) ? a >>> int.CreateTruncating(b) : T.Zero;
    }

    private static int Bits<T>()
        where T : IBinaryInteger<T> => System.Runtime.CompilerServices.Unsafe.SizeOf<T>() * 8;
}
