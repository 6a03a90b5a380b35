using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nn;

/// <summary>
/// Einsum: output[out-term] = sum over the labels missing from out-term of the product of input_i[term_i]
/// (https://onnx.ai/onnx/operators/onnx__Einsum.html): explicit or implicit output, "..." broadcasting, a label
/// repeated within one term takes the diagonal. Evaluated by <see cref="EinsumContraction"/>: per-operand diagonals and
/// early sums, then pairwise batched matrix products; float16/bfloat16 compute in float32.
/// </summary>
internal sealed class Einsum : IKernel
{
    private readonly string _equation;

    public Einsum(KernelCreationContext ctx)
    {
        _equation = ctx.Attributes.GetString("equation");
    }

    public void Compute(KernelContext ctx)
    {
        if (ctx.InputCount == 0)
        {
            throw ctx.Error("Einsum needs at least one input");
        }

        var inputs = new Tensor[ctx.InputCount];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = ctx.Input(i);
            if (inputs[i].DataType != inputs[0].DataType)
            {
                throw ctx.Error($"all inputs must have one dtype, got {inputs[0].DataType.Name()} (input 0) and {inputs[i].DataType.Name()} (input {i})");
            }
        }

        EinsumEquation eq;
        int[] sizes;
        try
        {
            eq = EinsumEquation.Parse(_equation, inputs.Select(t => t.Rank).ToList());
            sizes = eq.LabelSizes(inputs.Select(t => (IReadOnlyList<long?>)t.DimsArray().Select(d => (long?)d).ToList()).ToList())
                .Select(s => checked((int)(s ?? 1))).ToArray();
        }
        catch (FormatException ex)
        {
            throw ctx.Error(ex.Message);
        }

        var y = ctx.Output(0, inputs[0].DataType, eq.OutputLabels.Select(l => sizes[l]).ToArray());
        switch (inputs[0].DataType)
        {
            case DataType.Float32: Run<float>(eq, inputs, sizes, y); break;
            case DataType.Float64: Run<double>(eq, inputs, sizes, y); break;
            case DataType.Int8: Run<sbyte>(eq, inputs, sizes, y); break;
            case DataType.Int16: Run<short>(eq, inputs, sizes, y); break;
            case DataType.Int32: Run<int>(eq, inputs, sizes, y); break;
            case DataType.Int64: Run<long>(eq, inputs, sizes, y); break;
            case DataType.UInt8: Run<byte>(eq, inputs, sizes, y); break;
            case DataType.UInt16: Run<ushort>(eq, inputs, sizes, y); break;
            case DataType.UInt32: Run<uint>(eq, inputs, sizes, y); break;
            case DataType.UInt64: Run<ulong>(eq, inputs, sizes, y); break;
            case DataType.Float16:
            case DataType.BFloat16:
            {
                var operands = new EinsumOperand<float>[inputs.Length];
                for (int i = 0; i < inputs.Length; i++)
                {
                    operands[i] = new(FloatConversion.ToFloat(inputs[i]), inputs[i].DimsArray(), eq.InputLabels[i]);
                }

                var result = new float[y.Length];
                EinsumContraction.Evaluate(operands, eq.OutputLabels, sizes, result);
                FloatConversion.FromFloat(result, y);
                break;
            }

            default:
                throw ctx.Error($"unsupported element type {inputs[0].DataType.Name()}");
        }
    }

    private static void Run<T>(EinsumEquation eq, Tensor[] inputs, int[] sizes, Tensor y)
        where T : unmanaged, System.Numerics.INumber<T>
    {
        var operands = new EinsumOperand<T>[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            ReadOnlyMemory<T> data = inputs[i] is Tensor<T> t ? t.Memory : inputs[i].AsSpan<T>().ToArray();
            operands[i] = new(data, inputs[i].DimsArray(), eq.InputLabels[i]);
        }

        EinsumContraction.Evaluate(operands, eq.OutputLabels, sizes, y.AsSpan<T>());
    }
}
