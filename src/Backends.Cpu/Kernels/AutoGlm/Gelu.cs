using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.AutoGlm;

/// <summary>
/// ai.autoglm Gelu: approximate = "none": Y = 0.5 X (1 + erf(X / sqrt(2))); approximate = "tanh":
/// Y = 0.5 X (1 + tanh(sqrt(2 / pi) (X + 0.044715 X^3))). Same formulas as ai.onnx Gelu-20; computed by
/// <see cref="FastGelu"/> over chunks on the intra-op threads.
/// </summary>
internal sealed class Gelu : IKernel
{
    private readonly FastGelu _function;

    public Gelu(KernelCreationContext ctx)
    {
        string approximate = ctx.Attributes.GetString("approximate", "none");
        _function = approximate switch
        {
            "none" => FastGelu.ErfForm,
            "tanh" => FastGelu.TanhForm,
            _ => throw ctx.Error($"approximate must be 'none' or 'tanh', got '{approximate}'"),
        };
    }

    public void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        if (x.DataType != DataType.Float32)
        {
            throw ctx.Error($"Gelu computes float32 only, got {x.DataType.Name()}");
        }

        var y = ctx.OutputUninitialized(0, DataType.Float32, x.Dims);
        x.AsSpan<float>().CopyTo(y.AsSpan<float>());
        FusedMatMul.ApplyActivation(_function, y.AsSpan<float>(), ctx.IntraOpThreads);
    }
}
