using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Transform;

/// <summary>
/// Unsqueeze: inserts size-1 axes at the given output positions; axes is an attribute before opset 13;
/// y aliases x (https://onnx.ai/onnx/operators/onnx__Unsqueeze.html).
/// </summary>
internal sealed class Unsqueeze : IKernel
{
    private readonly long[]? _axesAttribute;

    public Unsqueeze(KernelCreationContext ctx)
    {
        if (ctx.Opset < 13)
        {
            _axesAttribute = ctx.Attributes.GetInts("axes") ?? throw ctx.Error("attribute 'axes' is required before opset 13");
        }
    }

    public void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        long[] axes = _axesAttribute ?? ctx.Input(1).ToInt64Array();
        bool[] inserted = UnsqueezeSchema.InsertedAxes(x.Rank, axes, ctx.Error);
        var dims = new int[inserted.Length];
        for (int i = 0, src = 0; i < dims.Length; i++)
        {
            dims[i] = inserted[i] ? 1 : x.Dims[src++];
        }

        ctx.SetOutput(0, x.Reshape(dims));
    }
}
