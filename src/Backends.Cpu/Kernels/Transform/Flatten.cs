using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Transform;

/// <summary>
/// Flatten: y = x viewed as [prod(d_0..d_axis-1), prod(d_axis..d_r-1)]; y aliases x
/// (https://onnx.ai/onnx/operators/onnx__Flatten.html).
/// </summary>
internal sealed class Flatten : IKernel
{
    private readonly long _axis;

    public Flatten(KernelCreationContext ctx) => _axis = ctx.Attributes.GetInt("axis", 1);

    public void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        int axis = _axis >= -x.Rank && _axis <= x.Rank ? (int)(_axis < 0 ? _axis + x.Rank : _axis) : FlattenSchema.NormalizeAxis(_axis, x.Rank, ctx.Error);
        ctx.SetOutputView(0, x, [Elements.Product(x.Dims, 0, axis), Elements.Product(x.Dims, axis, x.Rank)]);
    }
}
