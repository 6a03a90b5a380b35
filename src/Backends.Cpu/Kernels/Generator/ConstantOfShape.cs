using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Generator;

/// <summary>ConstantOfShape: y[shape] = value (a one-element tensor, float32 0 by default) (https://onnx.ai/onnx/operators/onnx__ConstantOfShape.html).</summary>
internal sealed class ConstantOfShape : IKernel
{
    private readonly Tensor _value;

    public ConstantOfShape(KernelCreationContext context)
    {
        _value = context.Attributes.GetTensor("value") ?? Tensor.Scalar(0f);
        if (_value.Length != 1)
        {
            throw context.Error($"attribute 'value' must hold exactly one element, got shape {_value.ShapeString}");
        }
    }

    public void Compute(KernelContext context)
    {
        var shapeInput = context.Input(0);
        if (shapeInput.Rank != 1)
        {
            throw context.Error($"input shape must be 1-D, got shape {shapeInput.ShapeString}");
        }

        long[] shape = shapeInput.ToInt64Array();
        var dims = new int[shape.Length];
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] < 0 || shape[i] > int.MaxValue)
            {
                throw context.Error($"dimension {i} of requested shape [{string.Join(",", shape)}] is out of range");
            }

            dims[i] = (int)shape[i];
        }

        var output = context.Output(0, _value.DataType, dims);
        if (_value is StringTensor s)
        {
            Array.Fill(((StringTensor)output).Data, s.Data[0]);
            return;
        }

        // Replicate the element's bytes across the output.
        var element = _value.AsBytes();
        var bytes = output.AsBytes();
        for (int offset = 0; offset < bytes.Length; offset += element.Length)
        {
            element.CopyTo(bytes[offset..]);
        }
    }
}
