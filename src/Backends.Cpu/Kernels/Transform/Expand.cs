using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Transform;

/// <summary>
/// Expand: y = x broadcast (numpy rules, both directions) with the requested shape
/// (https://onnx.ai/onnx/operators/onnx__Expand.html).
/// </summary>
internal sealed class Expand : IKernel
{
    public void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        var shapeInput = ctx.Input(1);
        if (shapeInput.Rank != 1)
        {
            throw ctx.Error($"shape must be a 1-D tensor, got shape {shapeInput.ShapeString}");
        }

        long[] requested = shapeInput.ToInt64Array();
        var shape = new int[requested.Length];
        for (int i = 0; i < shape.Length; i++)
        {
            shape[i] = requested[i] is >= 0 and <= int.MaxValue
                ? (int)requested[i]
                : throw ctx.Error($"shape {TransformShapes.FormatLongs(requested)} has invalid dimension {requested[i]}");
        }

        int[] dims;
        try
        {
            dims = ShapeRules.Broadcast(x.Dims, shape);
        }
        catch (ShapeInferenceException)
        {
            throw ctx.Error($"input {x.ShapeString} cannot be expanded to shape {Core.Shape.Format(shape)}");
        }

        // Input dims aligned to the right; broadcast (size-1 or missing) dims read with stride 0.
        int[] inStrides = Elements.Strides(x.Dims);
        var strides = new int[dims.Length];
        int shift = dims.Length - x.Rank;
        for (int i = shift; i < dims.Length; i++)
        {
            strides[i] = x.Dims[i - shift] == 1 ? 0 : inStrides[i - shift];
        }

        var y = ctx.Output(0, x.DataType, dims);
        StridedCopy.Run(x, 0, strides, y, dims);
    }
}
