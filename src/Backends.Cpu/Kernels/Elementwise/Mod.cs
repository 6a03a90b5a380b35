using System.Numerics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>
/// Mod: C = A mod B with broadcasting. fmod=0: the remainder takes the sign of the divisor (Python's %);
/// fmod=1: the sign of the dividend (C fmod). ONNX asks floats to use fmod=1; fmod=0 on floats is computed
/// the Python way rather than rejected (https://onnx.ai/onnx/operators/onnx__Mod.html).
/// </summary>
internal sealed class Mod : IKernel
{
    private readonly bool _fmod;

    public Mod(KernelCreationContext context)
    {
        long fmod = context.Attributes.GetInt("fmod", 0);
        if (fmod is not (0 or 1))
        {
            throw context.Error($"attribute fmod must be 0 or 1, got {fmod}");
        }

        _fmod = fmod == 1;
    }

    public void Compute(KernelContext context)
    {
        if (_fmod)
        {
            ElementwiseBinary.ComputeScalar<TruncatedOp>(context);
        }
        else
        {
            ElementwiseBinary.ComputeScalar<FlooredOp>(context);
        }
    }

    /// <summary>a - trunc(a / b) * b: C#'s % for integers and floats alike.</summary>
    internal readonly struct TruncatedOp : IGenericBinaryOperator
    {
        public static T Invoke<T>(T a, T b)
            where T : INumber<T> => a % b;
    }

    /// <summary>a - floor(a / b) * b: the truncated remainder moved by b when the signs of r and b differ.</summary>
    internal readonly struct FlooredOp : IGenericBinaryOperator
    {
        public static T Invoke<T>(T a, T b)
            where T : INumber<T>
        {
            T r = a % b;
            return !T.IsZero(r) && T.IsNegative(r) != T.IsNegative(b) ? r + b : r;
        }
    }
}
