using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Transform;

/// <summary>
/// Squeeze: removes the listed size-1 axes, or all of them; axes is an attribute before opset 13; y aliases x
/// (https://onnx.ai/onnx/operators/onnx__Squeeze.html).
/// </summary>
internal sealed class Squeeze : IKernel
{
    private readonly long[]? _axesAttribute;

    public Squeeze(KernelCreationContext ctx) => _axesAttribute = ctx.Opset < 13 ? ctx.Attributes.GetInts("axes") : null;

    public void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        long[]? axes = _axesAttribute ?? ctx.OptionalInput(1)?.ToInt64Array();
        var dims = new List<int>(x.Rank);
        if (axes is null || axes.Length == 0)
        {
            foreach (int d in x.Dims)
            {
                if (d != 1)
                {
                    dims.Add(d);
                }
            }
        }
        else
        {
            int[] squeezed = TransformShapes.NormalizeAxes(axes, x.Rank, ctx.Error);
            foreach (int a in squeezed)
            {
                if (x.Dims[a] != 1)
                {
                    throw ctx.Error($"cannot squeeze axis {a} of input {x.ShapeString}: its size is {x.Dims[a]}, not 1");
                }
            }

            for (int i = 0; i < x.Rank; i++)
            {
                if (!squeezed.Contains(i))
                {
                    dims.Add(x.Dims[i]);
                }
            }
        }

        ctx.SetOutput(0, x.Reshape(dims.ToArray()));
    }
}
