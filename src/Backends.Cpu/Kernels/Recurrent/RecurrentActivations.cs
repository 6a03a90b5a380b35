using System.Numerics;
using System.Numerics.Tensors;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Recurrent;

/// <summary>The activation functions LSTM, GRU and RNN accept in their <c>activations</c> attribute.</summary>
internal enum RecurrentActivationKind
{
    Sigmoid,
    Tanh,
    Relu,
    Affine,
    LeakyRelu,
    ThresholdedRelu,
    ScaledTanh,
    HardSigmoid,
    Elu,
    Softsign,
    Softplus,
}

/// <summary>
/// One activation with its parameters, applied in place to a row of gate pre-activations:
/// Sigmoid 1/(1+e^-x), Tanh, Relu max(0,x), Affine alpha*x+beta, LeakyRelu (x &lt; 0 ? alpha*x : x),
/// ThresholdedRelu (x &gt; alpha ? x : 0), ScaledTanh alpha*tanh(beta*x), HardSigmoid clamp(alpha*x+beta, 0, 1),
/// Elu (x &lt; 0 ? alpha*(e^x-1) : x), Softsign x/(1+|x|), Softplus log(1+e^x).
/// </summary>
internal readonly record struct RecurrentActivation(RecurrentActivationKind Kind, float Alpha, float Beta)
{
    public void Apply<T>(Span<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T alpha = T.CreateTruncating(Alpha);
        T beta = T.CreateTruncating(Beta);
        switch (Kind)
        {
            case RecurrentActivationKind.Sigmoid: TensorPrimitives.Sigmoid(x, x); break;
            case RecurrentActivationKind.Tanh: TensorPrimitives.Tanh(x, x); break;
            case RecurrentActivationKind.Relu: TensorPrimitives.Max(x, T.Zero, x); break;
            case RecurrentActivationKind.Affine:
                TensorPrimitives.Multiply(x, alpha, x);
                TensorPrimitives.Add(x, beta, x);
                break;
            case RecurrentActivationKind.ScaledTanh:
                TensorPrimitives.Multiply(x, beta, x);
                TensorPrimitives.Tanh(x, x);
                TensorPrimitives.Multiply(x, alpha, x);
                break;
            default:
                for (int i = 0; i < x.Length; i++)
                {
                    x[i] = Scalar(Kind, x[i], alpha, beta);
                }

                break;
        }
    }

    private static T Scalar<T>(RecurrentActivationKind kind, T x, T alpha, T beta)
        where T : IFloatingPointIeee754<T> => kind switch
    {
        RecurrentActivationKind.LeakyRelu => x < T.Zero ? alpha * x : x,
        RecurrentActivationKind.ThresholdedRelu => x > alpha ? x : T.Zero,
        RecurrentActivationKind.HardSigmoid => T.Clamp((alpha * x) + beta, T.Zero, T.One),
        RecurrentActivationKind.Elu => x < T.Zero ? alpha * (T.Exp(x) - T.One) : x,
        RecurrentActivationKind.Softsign => x / (T.One + T.Abs(x)),

        // log(1 + e^x) = max(x, 0) + log(1 + e^-|x|): no overflow for large x.
        RecurrentActivationKind.Softplus => T.Max(x, T.Zero) + T.LogP1(T.Exp(-T.Abs(x))),
        _ => throw new InvalidOperationException($"activation {kind} has a vector form"),
    };
}

/// <summary>Parses <c>activations</c>, <c>activation_alpha</c> and <c>activation_beta</c> into one activation per slot.</summary>
internal static class RecurrentActivations
{
    private static readonly Dictionary<string, RecurrentActivationKind> s_names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Sigmoid"] = RecurrentActivationKind.Sigmoid,
        ["Tanh"] = RecurrentActivationKind.Tanh,
        ["Relu"] = RecurrentActivationKind.Relu,
        ["Affine"] = RecurrentActivationKind.Affine,
        ["LeakyRelu"] = RecurrentActivationKind.LeakyRelu,
        ["ThresholdedRelu"] = RecurrentActivationKind.ThresholdedRelu,
        ["ScaledTanh"] = RecurrentActivationKind.ScaledTanh,
        ["HardSigmoid"] = RecurrentActivationKind.HardSigmoid,
        ["Elu"] = RecurrentActivationKind.Elu,
        ["Softsign"] = RecurrentActivationKind.Softsign,
        ["Softplus"] = RecurrentActivationKind.Softplus,
    };

    /// <summary>
    /// The activations for every direction: <paramref name="defaults"/> (one direction's list) repeated when the
    /// attribute is absent. A list of one direction's length is repeated for the reverse direction too.
    /// activation_alpha/activation_beta are consumed in order, one value per activation that takes the parameter
    /// (Affine, LeakyRelu, ThresholdedRelu, ScaledTanh, HardSigmoid, Elu take alpha; Affine, ScaledTanh, HardSigmoid
    /// take beta); a missing value takes the default of the ONNX operator of the same name.
    /// </summary>
    public static RecurrentActivation[] Parse(KernelCreationContext ctx, string[] defaults, int directions)
    {
        string[] names = ctx.Attributes.GetStrings("activations") ?? defaults;
        if (names.Length == defaults.Length && directions == 2)
        {
            names = [.. names, .. names];
        }

        if (names.Length != defaults.Length * directions)
        {
            throw ctx.Error($"attribute 'activations' must list {defaults.Length * directions} functions ({defaults.Length} per direction x {directions} direction(s)), got {names.Length}: [{string.Join(", ", names)}]");
        }

        float[] alphas = ctx.Attributes.GetFloats("activation_alpha") ?? [];
        float[] betas = ctx.Attributes.GetFloats("activation_beta") ?? [];
        int nextAlpha = 0, nextBeta = 0;
        var result = new RecurrentActivation[names.Length];
        for (int i = 0; i < names.Length; i++)
        {
            if (!s_names.TryGetValue(names[i], out var kind))
            {
                throw ctx.Error($"attribute 'activations' has unknown function '{names[i]}' at position {i}; expected one of {string.Join(", ", s_names.Keys)}");
            }

            var (usesAlpha, alpha, usesBeta, beta) = Defaults(kind);
            if (usesAlpha && nextAlpha < alphas.Length)
            {
                alpha = alphas[nextAlpha++];
            }

            if (usesBeta && nextBeta < betas.Length)
            {
                beta = betas[nextBeta++];
            }

            result[i] = new RecurrentActivation(kind, alpha, beta);
        }

        return result;
    }

    /// <summary>Which parameters an activation takes and the ONNX operator defaults for them.</summary>
    private static (bool UsesAlpha, float Alpha, bool UsesBeta, float Beta) Defaults(RecurrentActivationKind kind) => kind switch
    {
        RecurrentActivationKind.Affine => (true, 1f, true, 0f),
        RecurrentActivationKind.LeakyRelu => (true, 0.01f, false, 0f),
        RecurrentActivationKind.ThresholdedRelu => (true, 1f, false, 0f),
        RecurrentActivationKind.ScaledTanh => (true, 1f, true, 1f),
        RecurrentActivationKind.HardSigmoid => (true, 0.2f, true, 0.5f),
        RecurrentActivationKind.Elu => (true, 1f, false, 0f),
        _ => (false, 0f, false, 0f),
    };
}
