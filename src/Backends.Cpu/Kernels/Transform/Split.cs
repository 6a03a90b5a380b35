using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Transform;

/// <summary>
/// Split: consecutive parts of x along axis, sized by split (attribute before opset 13, input from 13)
/// or equal (opset 18's num_outputs: ceil-sized with a smaller last part) (https://onnx.ai/onnx/operators/onnx__Split.html).
/// </summary>
internal sealed class Split : IKernel
{
    private readonly long _axis;
    private readonly long[]? _splitAttribute;
    private readonly bool _splitFromInput;
    private readonly bool _unevenAllowed;

    public Split(KernelCreationContext ctx)
    {
        _axis = ctx.Attributes.GetInt("axis", 0);
        _splitFromInput = ctx.Opset >= 13 || ctx.Opset < 2;
        _splitAttribute = ctx.Opset < 13 ? ctx.Attributes.GetInts("split") : null;
        _unevenAllowed = SplitSchema.UnevenAllowed(ctx.Opset, ctx.Attributes, ctx.Node.Outputs.Count, ctx.Error);
    }

    public void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        int n = ctx.OutputCount;
        int axis = TransformShapes.NormalizeAxis(_axis, x.Rank, ctx.Error);
        int dim = x.Dims[axis];
        long[]? split = (_splitFromInput ? ctx.OptionalInput(1)?.ToInt64Array() : null) ?? _splitAttribute;
        if (split is null)
        {
            split = SplitSchema.EqualParts(dim, n, axis, _unevenAllowed, ctx.Error);
        }
        else
        {
            SplitSchema.CheckSplit(split, n, dim, axis, ctx.Error);
        }

        int[] strides = Elements.Strides(x.Dims);
        int offset = 0;
        for (int i = 0; i < n; i++)
        {
            var dims = x.DimsArray();
            dims[axis] = (int)split[i];
            if (ctx.IsOutputRequested(i))
            {
                var y = ctx.Output(i, x.DataType, dims);
                StridedCopy.Run(x, offset * strides[axis], strides, y, dims);
            }

            offset += dims[axis];
        }
    }
}
