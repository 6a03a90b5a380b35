using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>
/// Cast: y = (to)x elementwise between any numeric types, bool, float16, bfloat16 and string
/// (https://onnx.ai/onnx/operators/onnx__Cast.html); conversion rules in <see cref="TensorConversion"/>.
/// </summary>
internal sealed class Cast : IKernel
{
    private readonly DataType _to;

    public Cast(KernelCreationContext context) => _to = CastSchema.TargetType(context.Node);

    public void Compute(KernelContext context) => Run(context, context.Input(0), _to);

    /// <summary>Converts <paramref name="x"/> into output 0 of type <paramref name="to"/>; shared with CastLike.</summary>
    internal static void Run(KernelContext ctx, Tensor x, DataType to)
    {
        var y = ctx.Output(0, to, x.Dims);
        try
        {
            TensorConversion.Convert(x, y);
        }
        catch (FormatException ex)
        {
            throw ctx.Error($"cannot cast to {to.Name()}: {ex.Message}");
        }
        catch (DataTypeMismatchException ex)
        {
            throw ctx.Error($"cannot cast {x.DataType.Name()} to {to.Name()}: {ex.Message}");
        }
    }
}
