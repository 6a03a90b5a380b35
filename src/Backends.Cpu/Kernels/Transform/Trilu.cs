using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Transform;

/// <summary>
/// Trilu: keeps y[..., i, j] = x[..., i, j] where j - i >= k (upper) or j - i <= k (lower), zero elsewhere
/// (https://onnx.ai/onnx/operators/onnx__Trilu.html).
/// </summary>
internal sealed class Trilu : IKernel
{
    private readonly bool _upper;

    public Trilu(KernelCreationContext ctx) => _upper = ctx.Attributes.GetInt("upper", 1) != 0;

    public void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        if (x.Rank < 2)
        {
            throw ctx.Error($"input must have rank >= 2, got {x.ShapeString}");
        }

        long k = 0;
        if (ctx.OptionalInput(1) is { } kt)
        {
            k = kt.Length == 1 ? kt.ToInt64Array()[0] : throw ctx.Error($"k must be a scalar, got shape {kt.ShapeString}");
        }

        int rows = x.Dims[^2], cols = x.Dims[^1];
        var y = ctx.Output(0, x.DataType, x.Dims);
        Elements.Copy(x, 0, y, 0, x.Length);
        var job = new Job(y, rows, cols, (int)Math.Clamp(k, -(long)rows - 1, cols + 1L), _upper);
        Elements.Dispatch(x.DataType, ref job);
    }

    private readonly struct Job(Tensor y, int rows, int cols, int k, bool upper) : IElementAction
    {
        public void Invoke<T>()
        {
            var dst = Elements.Of<T>(y);
            T zero = Elements.Zero<T>();
            int matrices = rows * cols == 0 ? 0 : dst.Length / (rows * cols);
            for (int m = 0; m < matrices; m++)
            {
                for (int i = 0; i < rows; i++)
                {
                    var row = dst.Slice(((m * rows) + i) * cols, cols);

                    // upper zeroes j < i + k; lower zeroes j > i + k.
                    if (upper)
                    {
                        row[..Math.Clamp(i + k, 0, cols)].Fill(zero);
                    }
                    else
                    {
                        row[Math.Clamp(i + k + 1, 0, cols)..].Fill(zero);
                    }
                }
            }
        }
    }
}
