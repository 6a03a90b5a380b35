using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.AutoGlm;

/// <summary>
/// ai.autoglm FusedMatMul: Y = activation(MatMul(A, B) + bias), numpy matmul semantics, bias (optional) of shape [N]
/// added along Y's last axis; activation / activation_params as in docs/ops.md.
/// </summary>
internal sealed class FusedMatMul : IKernel
{
    private readonly FusedActivation _activation;

    public FusedMatMul(KernelCreationContext ctx)
    {
        _activation = FusedActivation.Parse(ctx);
    }

    public void Compute(KernelContext ctx)
    {
        var a = ctx.Input(0);
        var b = ctx.Input(1);
        var bias = ctx.OptionalInput(2);
        if (a.DataType != DataType.Float32 || b.DataType != DataType.Float32 || (bias is not null && bias.DataType != DataType.Float32))
        {
            throw ctx.Error($"FusedMatMul computes float32 only, got A {a.DataType.Name()}, B {b.DataType.Name()}{(bias is null ? string.Empty : ", bias " + bias.DataType.Name())}");
        }

        var plan = Nn.BatchedMatMul.Plan(ctx, a.Dims, b.Dims);
        var y = ctx.Output(0, DataType.Float32, plan.OutputDims);
        Nn.BatchedMatMul.Run(ctx, plan, a, b, y);
        var ys = y.AsSpan<float>();
        if (bias is not null)
        {
            int n = y.Rank == 0 ? 1 : y.Dims[^1];
            if (bias.Rank != 1 || bias.Dims[0] != n)
            {
                throw ctx.Error($"bias must be [{n}] (Y's last dimension; Y is {y.ShapeString}), got {bias.ShapeString}");
            }

            var bs = bias.AsSpan<float>();
            for (int row = 0; row + n <= ys.Length && n > 0; row += n)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(ys.Slice(row, n), bs, ys.Slice(row, n));
            }
        }

        _activation.Apply(ys);
    }
}
