using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Transform;

/// <summary>Shape: y = int64 dims of x in [start, end) (start/end from opset 15) (https://onnx.ai/onnx/operators/onnx__Shape.html).</summary>
internal sealed class Shape : IKernel
{
    public void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        var (start, count) = ShapeSchema.Range(ctx.Opset, ctx.Attributes, x.Rank);
        var y = ctx.Output<long>(0, [count]);
        var span = y.Span;
        for (int i = 0; i < count; i++)
        {
            span[i] = x.Dims[start + i];
        }
    }
}
