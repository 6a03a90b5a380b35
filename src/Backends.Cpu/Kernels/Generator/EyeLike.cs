using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Generator;

/// <summary>EyeLike: y[i, j] = (j - i == k) ? 1 : 0 with the input's 2-D shape (https://onnx.ai/onnx/operators/onnx__EyeLike.html).</summary>
internal sealed class EyeLike : IKernel
{
    private readonly long _k;
    private readonly DataType? _dtype;

    public EyeLike(KernelCreationContext context)
    {
        _k = context.Attributes.GetInt("k", 0);
        _dtype = context.Attributes.Contains("dtype") ? (DataType)context.Attributes.GetInt("dtype") : null;
    }

    public void Compute(KernelContext context)
    {
        var input = context.Input(0);
        if (input.Rank != 2)
        {
            throw context.Error($"input must be 2-D, got shape {input.ShapeString}");
        }

        var dtype = _dtype ?? input.DataType;
        if (!dtype.IsNumeric() && dtype != DataType.Bool)
        {
            throw context.Error($"unsupported output element type {dtype.Name()}");
        }

        int rows = input.Dims[0];
        int cols = input.Dims[1];
        var output = context.Output(0, dtype, input.Dims);
        var values = new double[output.Length];
        for (int i = 0; i < rows; i++)
        {
            long j = i + _k;
            if (j >= 0 && j < cols)
            {
                values[(i * cols) + j] = 1;
            }
        }

        DoubleStore.Store(output, values);
    }
}
