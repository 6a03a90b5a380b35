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
        ReadOnlySpan<long> axes = _axesAttribute ?? (ctx.Input(1) is Tensor<long> t ? t.Span : ctx.Input(1).ToInt64Array());
        int rank = x.Rank + axes.Length;

        // Marks the inserted output positions; an out-of-range or repeated axis goes to the schema's checks (which throw).
        Span<bool> inserted = stackalloc bool[Math.Min(rank, 64)];
        bool valid = rank <= 64;
        for (int i = 0; valid && i < axes.Length; i++)
        {
            long a = axes[i] < 0 ? axes[i] + rank : axes[i];
            valid = a >= 0 && a < rank && !inserted[(int)a];
            if (valid)
            {
                inserted[(int)a] = true;
            }
        }

        if (!valid)
        {
            inserted = UnsqueezeSchema.InsertedAxes(x.Rank, axes.ToArray(), ctx.Error);
        }

        Span<int> dims = stackalloc int[Math.Min(rank, 64)];
        if (!valid)
        {
            dims = new int[rank];
        }

        for (int i = 0, src = 0; i < dims.Length; i++)
        {
            dims[i] = inserted[i] ? 1 : x.Dims[src++];
        }

        ctx.SetOutputView(0, x, dims);
    }
}
