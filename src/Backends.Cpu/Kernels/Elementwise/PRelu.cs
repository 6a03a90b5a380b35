using System.Numerics;
using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>
/// PRelu: y = x for x &gt;= 0, slope * x otherwise, slope broadcast to X's shape (unidirectional; before
/// opset 7 a 1-D slope of length C applies per channel, axis 1) (https://onnx.ai/onnx/operators/onnx__PRelu.html).
/// </summary>
internal sealed class PRelu : IKernel
{
    public void Compute(KernelContext context)
    {
        var x = context.Input(0);
        var slope = context.Input(1);
        if (context.Opset < 7 && slope.Rank == 1 && x.Rank >= 2 && slope.Length == x.Dims[1] && !BroadcastsTo(slope.Dims, x.Dims))
        {
            // Before opset 7 a 1-D slope is per channel (axis 1): view it as [C, 1, ..., 1] for numpy broadcasting.
            var channelDims = new int[x.Rank - 1];
            Array.Fill(channelDims, 1);
            channelDims[0] = slope.Length;
            slope = slope.Reshape(channelDims);
        }

        if (!BroadcastsTo(slope.Dims, x.Dims))
        {
            throw context.Error($"slope of shape {slope.ShapeString} does not broadcast to X's shape {x.ShapeString}");
        }

        ElementwiseBinary.Compute<Op>(context, x, slope);
    }

    private static bool BroadcastsTo(ReadOnlySpan<int> from, ReadOnlySpan<int> to)
    {
        if (from.Length > to.Length)
        {
            return false;
        }

        for (int i = 1; i <= from.Length; i++)
        {
            int d = from[^i];
            if (d != 1 && d != to[^i])
            {
                return false;
            }
        }

        return true;
    }

    internal readonly struct Op : INumericBinaryOperator
    {
        public static T Invoke<T>(T a, T b)
            where T : INumber<T> => a < T.Zero ? a * b : a;

        public static float Invoke(float a, float b) => a < 0 ? a * b : a;

        public static Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) =>
            Vector256.ConditionalSelect(Vector256.LessThan(a, Vector256<float>.Zero), a * b, a);

        public static Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) =>
            Vector128.ConditionalSelect(Vector128.LessThan(a, Vector128<float>.Zero), a * b, a);
    }
}
