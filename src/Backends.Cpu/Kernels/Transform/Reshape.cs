using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Transform;

/// <summary>
/// Reshape: y = x with new dims, 0 copying the input dim (unless allowzero), -1 inferred; y aliases x
/// (https://onnx.ai/onnx/operators/onnx__Reshape.html).
/// </summary>
internal sealed class Reshape : IKernel
{
    private readonly bool _allowZero;
    private readonly long[]? _shapeAttribute;

    public Reshape(KernelCreationContext ctx)
    {
        _allowZero = ctx.Opset >= 14 && ctx.Attributes.GetInt("allowzero", 0) != 0;
        if (ctx.Opset < 5)
        {
            _shapeAttribute = ctx.Attributes.GetInts("shape") ?? throw ctx.Error("attribute 'shape' is required before opset 5");
        }
    }

    public void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        if (_shapeAttribute is null)
        {
            var shape = ctx.Input(1);
            if (shape.Rank != 1)
            {
                throw ctx.Error($"shape must be a 1-D tensor, got shape {shape.ShapeString}");
            }

            if (shape is Tensor<long> longs && TryResolve(longs.Span, x.Dims, ctx))
            {
                return;
            }

            ctx.SetOutput(0, x.Reshape(TransformShapes.ResolveReshape(shape.ToInt64Array(), x.Dims, _allowZero, ctx.Error)));
            return;
        }

        if (!TryResolve(_shapeAttribute, x.Dims, ctx))
        {
            ctx.SetOutput(0, x.Reshape(TransformShapes.ResolveReshape(_shapeAttribute, x.Dims, _allowZero, ctx.Error)));
        }
    }

    /// <summary>
    /// The common case without allocating: at most one -1, 0 copies the input dim (unless allowzero), the element
    /// count matches. Returns false, having set nothing, for anything else (ResolveReshape then resolves or throws).
    /// </summary>
    private bool TryResolve(ReadOnlySpan<long> requested, ReadOnlySpan<int> input, KernelContext ctx)
    {
        if (requested.Length > 16)
        {
            return false;
        }

        Span<int> dims = stackalloc int[requested.Length];
        long total = 1, known = 1;
        foreach (int d in input)
        {
            total *= d;
        }

        int inferred = -1;
        for (int i = 0; i < requested.Length; i++)
        {
            long r = requested[i];
            if (r == -1 && inferred < 0)
            {
                inferred = i;
                continue;
            }

            if (r == 0 && !_allowZero)
            {
                if (i >= input.Length)
                {
                    return false;
                }

                r = input[i];
            }

            if (r < 0 || r > int.MaxValue)
            {
                return false;
            }

            dims[i] = (int)r;
            known *= r;
        }

        if (inferred >= 0)
        {
            if (known == 0 || total % known != 0)
            {
                return false;
            }

            dims[inferred] = (int)(total / known);
        }
        else if (known != total)
        {
            return false;
        }

        ctx.SetOutputView(0, ctx.Input(0), dims);
        return true;
    }
}
