using System.Numerics;
using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>
/// Clip: y = min(max(x, min), max), so max wins when min &gt; max and NaN stays NaN. Before opset 11 the bounds
/// are float attributes (default: float32's lowest and largest); from opset 11 they are optional scalar inputs
/// of x's dtype (omitted: unbounded) (https://onnx.ai/onnx/operators/onnx__Clip.html).
/// </summary>
internal sealed class Clip : IKernel
{
    private const int BoundsAsInputsSince = 11;

    private readonly bool _attributeBounds;
    private readonly float _attributeMin;
    private readonly float _attributeMax;

    public Clip(KernelCreationContext context)
    {
        _attributeBounds = context.Opset < BoundsAsInputsSince;
        _attributeMin = context.Attributes.GetFloat("min", float.MinValue);
        _attributeMax = context.Attributes.GetFloat("max", float.MaxValue);
    }

    public void Compute(KernelContext context)
    {
        var x = context.Input(0);
        if (x.DataType.IsFloatingPoint())
        {
            double lo = _attributeBounds ? _attributeMin : (Bound(context, 1, x) is { } min ? First(min) : double.NegativeInfinity);
            double hi = _attributeBounds ? _attributeMax : (Bound(context, 2, x) is { } max ? First(max) : double.PositiveInfinity);
            ElementwiseUnary.ComputeFloat(context, new Op(lo, hi));
            return;
        }

        if (_attributeBounds)
        {
            throw context.Error($"opset {context.Opset} Clip takes floating-point inputs only, got {x.DataType.Name()}");
        }

        switch (x.DataType)
        {
            case DataType.Int8: Generic<sbyte>(context, x); break;
            case DataType.Int16: Generic<short>(context, x); break;
            case DataType.Int32: Generic<int>(context, x); break;
            case DataType.Int64: Generic<long>(context, x); break;
            case DataType.UInt8: Generic<byte>(context, x); break;
            case DataType.UInt16: Generic<ushort>(context, x); break;
            case DataType.UInt32: Generic<uint>(context, x); break;
            case DataType.UInt64: Generic<ulong>(context, x); break;
            default: throw context.Error($"unsupported element type {x.DataType.Name()}");
        }
    }

    private static void Generic<T>(KernelContext ctx, Tensor x)
        where T : unmanaged, INumber<T>, IMinMaxValue<T>
    {
        T lo = Bound(ctx, 1, x) is { } min ? min.AsSpan<T>()[0] : T.MinValue;
        T hi = Bound(ctx, 2, x) is { } max ? max.AsSpan<T>()[0] : T.MaxValue;
        var xs = x.AsSpan<T>();
        var ys = ctx.OutputUninitialized(0, x.DataType, x.Dims).AsSpan<T>();
        for (int i = 0; i < xs.Length; i++)
        {
            ys[i] = T.Min(T.Max(xs[i], lo), hi);
        }
    }

    /// <summary>The one element of a float bound, read in place for float32/float64.</summary>
    private static double First(Tensor t) => t switch
    {
        Tensor<float> f => f.Span[0],
        Tensor<double> d => d.Span[0],
        _ => t.ToDoubleArray()[0],
    };

    /// <summary>The optional bound input <paramref name="index"/>: one element of x's dtype, or null when omitted.</summary>
    private static Tensor? Bound(KernelContext ctx, int index, Tensor x)
    {
        var t = ctx.OptionalInput(index);
        if (t is null)
        {
            return null;
        }

        string name = index == 1 ? "min" : "max";
        if (t.DataType != x.DataType)
        {
            throw ctx.Error($"{name} must have the input's dtype {x.DataType.Name()}, got {t.DataType.Name()}");
        }

        if (t.Length != 1)
        {
            throw ctx.Error($"{name} must be a scalar, got shape {t.ShapeString}");
        }

        return t;
    }

    internal readonly struct Op : IFloatUnaryFunction
    {
        private readonly double _lo;
        private readonly double _hi;
        private readonly float _loF;
        private readonly float _hiF;

        public Op(double lo, double hi)
        {
            _lo = lo;
            _hi = hi;
            _loF = (float)lo;
            _hiF = (float)hi;
        }

        public float Invoke(float x) => MathF.Min(MathF.Max(x, _loF), _hiF);

        public double Invoke(double x) => Math.Min(Math.Max(x, _lo), _hi);

        public Vector256<float> Invoke(Vector256<float> x) => Vector256.Min(Vector256.Max(x, Vector256.Create(_loF)), Vector256.Create(_hiF));

        public Vector128<float> Invoke(Vector128<float> x) => Vector128.Min(Vector128.Max(x, Vector128.Create(_loF)), Vector128.Create(_hiF));
    }
}
