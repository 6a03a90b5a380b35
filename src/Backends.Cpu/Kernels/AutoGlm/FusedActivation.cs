using System.Numerics.Tensors;
using OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.AutoGlm;

/// <summary>
/// The activation epilogue of the ai.autoglm fused ops, from the attributes <c>activation</c> (string; absent or
/// "" = none) and <c>activation_params</c> (floats). Names and parameters (docs/ops.md):
/// Relu; Clip [min, max]; Relu6 (= Clip [0, 6]); Sigmoid; HardSigmoid [alpha = 0.2, beta = 0.5];
/// HardSwish; SiLU (x * sigmoid(x)); LeakyRelu [alpha = 0.01]; Gelu (erf form); GeluTanh (tanh approximation); Tanh.
/// </summary>
internal sealed class FusedActivation
{
    private readonly string _name;
    private readonly float _p0;
    private readonly float _p1;

    private FusedActivation(string name, float p0, float p1)
    {
        _name = name;
        _p0 = p0;
        _p1 = p1;
    }

    public bool IsNone => _name.Length == 0;

    public static FusedActivation Parse(KernelCreationContext ctx)
    {
        string name = ctx.Attributes.GetString("activation", string.Empty);
        float[] p = ctx.Attributes.GetFloats("activation_params") ?? [];
        (int count, float d0, float d1) = name switch
        {
            "" or "Relu" or "Relu6" or "Sigmoid" or "HardSwish" or "SiLU" or "Gelu" or "GeluTanh" or "Tanh" => (0, 0f, 0f),
            "Clip" => (2, float.NegativeInfinity, float.PositiveInfinity),
            "HardSigmoid" => (2, 0.2f, 0.5f),
            "LeakyRelu" => (1, 0.01f, 0f),
            _ => throw ctx.Error($"unknown activation '{name}' (expected Relu, Clip, Relu6, Sigmoid, HardSigmoid, HardSwish, SiLU, LeakyRelu, Gelu, GeluTanh or Tanh)"),
        };

        if (p.Length != 0 && p.Length != count)
        {
            throw ctx.Error($"activation {name} takes {count} activation_params, got {p.Length}");
        }

        if (name == "Relu6")
        {
            return new FusedActivation("Clip", 0f, 6f);
        }

        return new FusedActivation(name, p.Length > 0 ? p[0] : d0, p.Length > 1 ? p[1] : d1);
    }

    /// <summary>A fixed activation (the Gelu op's two forms).</summary>
    public static FusedActivation Of(string name) => new(name, 0f, 0f);

    /// <summary>y = activation(y), in place.</summary>
    public void Apply(Span<float> y)
    {
        switch (_name)
        {
            case "":
                break;
            case "Relu":
                TensorPrimitives.Max(y, 0f, y);
                break;
            case "Clip":
                // Clip: min(max(x, lo), hi); NaN stays NaN.
                foreach (ref float v in y)
                {
                    v = v < _p0 ? _p0 : v > _p1 ? _p1 : v;
                }

                break;
            case "Sigmoid":
                TensorPrimitives.Sigmoid(y, y);
                break;
            case "Tanh":
                TensorPrimitives.Tanh(y, y);
                break;
            case "HardSigmoid":
                foreach (ref float v in y)
                {
                    v = Math.Clamp((_p0 * v) + _p1, 0f, 1f);
                }

                break;
            case "HardSwish":
                foreach (ref float v in y)
                {
                    v *= Math.Clamp((v / 6f) + 0.5f, 0f, 1f);
                }

                break;
            case "SiLU":
                foreach (ref float v in y)
                {
                    v /= 1f + MathF.Exp(-v);
                }

                break;
            case "LeakyRelu":
                foreach (ref float v in y)
                {
                    v = v >= 0 ? v : v * _p0;
                }

                break;
            case "Gelu":
                // 0.5 x (1 + erf(x / sqrt(2)))
                foreach (ref float v in y)
                {
                    v = (float)(0.5 * v * (1 + FloatMath.Erf(v * 0.70710678118654752)));
                }

                break;
            case "GeluTanh":
                // 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))
                foreach (ref float v in y)
                {
                    double x = v;
                    v = (float)(0.5 * x * (1 + Math.Tanh(0.79788456080286536 * (x + (0.044715 * x * x * x)))));
                }

                break;
            default:
                throw new InvalidOperationException($"activation {_name} was validated at creation");
        }
    }
}
