using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.AutoGlm;

/// <summary>
/// The activation epilogue of the ai.autoglm fused ops, from the attributes <c>activation</c> (string; absent or
/// "" = none) and <c>activation_params</c> (floats). Names and parameters (docs/ops.md):
/// Relu; Clip [min, max]; Relu6 (= Clip [0, 6]); Sigmoid; HardSigmoid [alpha = 0.2, beta = 0.5];
/// HardSwish; SiLU (x * sigmoid(x)); LeakyRelu [alpha = 0.01]; Gelu (erf form); GeluTanh (tanh approximation); Tanh.
/// </summary>
internal sealed class FusedActivation : GemmPostOp
{
    private readonly Kind _kind;
    private readonly float _p0;
    private readonly float _p1;

    private FusedActivation(string name, float p0, float p1)
    {
        // Resolved once: Apply runs per finished GEMM row segment, a string switch there is per-call work.
        _kind = Enum.Parse<Kind>(name.Length == 0 ? nameof(Kind.None) : name);
        _p0 = p0;
        _p1 = p1;
    }

    private enum Kind
    {
        None,
        Relu,
        Clip,
        Sigmoid,
        Tanh,
        HardSigmoid,
        HardSwish,
        SiLU,
        LeakyRelu,
        Gelu,
        GeluTanh,
    }

    public bool IsNone => _kind == Kind.None;

    /// <summary>The activation named by <c>{prefix}activation</c> / <c>{prefix}activation_params</c> (NchwcExpandDepthwise's expand_ ones).</summary>
    public static FusedActivation Parse(KernelCreationContext ctx, string prefix = "")
    {
        string name = ctx.Attributes.GetString(prefix + "activation", string.Empty);
        float[] p = ctx.Attributes.GetFloats(prefix + "activation_params") ?? [];
        (int count, float d0, float d1) = name switch
        {
            "" or "Relu" or "Relu6" or "Sigmoid" or "HardSwish" or "SiLU" or "Gelu" or "GeluTanh" or "Tanh" => (0, 0f, 0f),
            "Clip" => (2, float.NegativeInfinity, float.PositiveInfinity),
            "HardSigmoid" => (2, 0.2f, 0.5f),
            "LeakyRelu" => (1, 0.01f, 0f),
            _ => throw ctx.Error($"unknown {prefix}activation '{name}' (expected Relu, Clip, Relu6, Sigmoid, HardSigmoid, HardSwish, SiLU, LeakyRelu, Gelu, GeluTanh or Tanh)"),
        };

        if (p.Length != 0 && p.Length != count)
        {
            throw ctx.Error($"{prefix}activation {name} takes {count} {prefix}activation_params, got {p.Length}");
        }

        if (name == "Relu6")
        {
            return new FusedActivation("Clip", 0f, 6f);
        }

        return new FusedActivation(name, p.Length > 0 ? p[0] : d0, p.Length > 1 ? p[1] : d1);
    }

    /// <summary>A fixed activation (the Gelu op's two forms).</summary>
    public static FusedActivation Of(string name) => new(name, 0f, 0f);

    /// <summary>
    /// The activation as a GEMM / convolution epilogue: Relu and Clip become a clamp fused into the store, the others
    /// a post-op on finished row segments; (no clamp, null) for none.
    /// </summary>
    public (GemmClamp Clamp, GemmPostOp? Post) ForGemm() => _kind switch
    {
        Kind.None => (default, null),
        Kind.Relu => (GemmClamp.Between(0f, float.PositiveInfinity), null),
        Kind.Clip => (GemmClamp.Between(_p0, _p1), null),
        _ => (default, this),
    };

    /// <summary>y = activation(y), in place; vectorized through <see cref="UnaryDriver"/> (scalar forms are the oracle).</summary>
    public override void Apply(Span<float> y)
    {
        switch (_kind)
        {
            case Kind.None:
                break;
            case Kind.Relu:
                TensorPrimitives.Max(y, 0f, y);
                break;
            case Kind.Clip:
                // min(max(x, lo), hi); NaN propagates through both.
                TensorPrimitives.Max(y, _p0, y);
                TensorPrimitives.Min(y, _p1, y);
                break;
            case Kind.Sigmoid:
                TensorPrimitives.Sigmoid(y, y);
                break;
            case Kind.Tanh:
                TensorPrimitives.Tanh(y, y);
                break;
            case Kind.HardSigmoid:
                UnaryDriver.Run(new HardSigmoidOp(_p0, _p1), y, y);
                break;
            case Kind.HardSwish:
                UnaryDriver.Run(default(HardSwishOp), y, y);
                break;
            case Kind.SiLU:
                if (SiLUVector.IsSupported)
                {
                    SiLUVector.Apply(y);
                }
                else
                {
                    UnaryDriver.Run(default(SiLUOp), y, y);
                }

                break;
            case Kind.LeakyRelu:
                UnaryDriver.Run(new LeakyReluOp(_p0), y, y);
                break;
            case Kind.Gelu:
                UnaryDriver.Run(default(GeluOp), y, y);
                break;
            case Kind.GeluTanh:
                UnaryDriver.Run(default(GeluTanhOp), y, y);
                break;
            default:
                throw new InvalidOperationException($"activation {_kind} was validated at creation");
        }
    }

    /// <summary>max(0, min(1, alpha x + beta)).</summary>
    private readonly struct HardSigmoidOp(float alpha, float beta) : IVectorUnaryFunction
    {
        public float Invoke(float x) => Math.Clamp((alpha * x) + beta, 0f, 1f);

        public Vector256<float> Invoke(Vector256<float> x) =>
            Vector256.Min(Vector256.Max((Vector256.Create(alpha) * x) + Vector256.Create(beta), Vector256<float>.Zero), Vector256<float>.One);

        public Vector128<float> Invoke(Vector128<float> x) =>
            Vector128.Min(Vector128.Max((Vector128.Create(alpha) * x) + Vector128.Create(beta), Vector128<float>.Zero), Vector128<float>.One);
    }

    /// <summary>x max(0, min(1, x / 6 + 1/2)).</summary>
    private readonly struct HardSwishOp : IVectorUnaryFunction
    {
        public float Invoke(float x) => x * Math.Clamp((x / 6f) + 0.5f, 0f, 1f);

        public Vector256<float> Invoke(Vector256<float> x) =>
            x * Vector256.Min(Vector256.Max((x * Vector256.Create(1f / 6)) + Vector256.Create(0.5f), Vector256<float>.Zero), Vector256<float>.One);

        public Vector128<float> Invoke(Vector128<float> x) =>
            x * Vector128.Min(Vector128.Max((x * Vector128.Create(1f / 6)) + Vector128.Create(0.5f), Vector128<float>.Zero), Vector128<float>.One);
    }

    /// <summary>
    /// x sigmoid(x) = x / (1 + e^-x) where <see cref="SiLUVector"/> does not run (no AVX-512, or vectors switched off):
    /// Vector256 / Vector128 lanes and the scalar tail.
    /// </summary>
    private readonly struct SiLUOp : IVectorUnaryFunction
    {
        public float Invoke(float x) => x / (1f + MathF.Exp(-x));

        public Vector256<float> Invoke(Vector256<float> x) => x / (Vector256<float>.One + Vector256.Exp(-x));

        public Vector128<float> Invoke(Vector128<float> x) => x / (Vector128<float>.One + Vector128.Exp(-x));
    }

    /// <summary>x if x ≥ 0 else alpha x.</summary>
    private readonly struct LeakyReluOp(float alpha) : IVectorUnaryFunction
    {
        public float Invoke(float x) => x >= 0 ? x : x * alpha;

        public Vector256<float> Invoke(Vector256<float> x) =>
            Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256<float>.Zero), x, x * Vector256.Create(alpha));

        public Vector128<float> Invoke(Vector128<float> x) =>
            Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(x, Vector128<float>.Zero), x, x * Vector128.Create(alpha));
    }

    /// <summary>0.5 x (1 + erf(x / sqrt 2)); lanes use FloatMath's erf (|error| &lt; 1.5e-7).</summary>
    private readonly struct GeluOp : IVectorUnaryFunction
    {
        public float Invoke(float x) => (float)(0.5 * x * (1 + FloatMath.Erf(x * 0.70710678118654752)));

        public Vector256<float> Invoke(Vector256<float> x) =>
            Vector256.Create(0.5f) * x * (Vector256<float>.One + FloatMath.Erf(x * Vector256.Create(0.70710678f)));

        public Vector128<float> Invoke(Vector128<float> x) =>
            Vector128.Create(0.5f) * x * (Vector128<float>.One + FloatMath.Erf(x * Vector128.Create(0.70710678f)));
    }

    /// <summary>0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))).</summary>
    private readonly struct GeluTanhOp : IVectorUnaryFunction
    {
        public float Invoke(float x)
        {
            double d = x;
            return (float)(0.5 * d * (1 + Math.Tanh(0.79788456080286536 * (d + (0.044715 * d * d * d)))));
        }

        public Vector256<float> Invoke(Vector256<float> x) =>
            Vector256.Create(0.5f) * x * (Vector256<float>.One + FloatMath.Tanh(Vector256.Create(0.7978846f) * (x + (Vector256.Create(0.044715f) * x * x * x))));

        public Vector128<float> Invoke(Vector128<float> x) =>
            Vector128.Create(0.5f) * x * (Vector128<float>.One + FloatMath.Tanh(Vector128.Create(0.7978846f) * (x + (Vector128.Create(0.044715f) * x * x * x))));
    }
}
