using System.Numerics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Transform;

/// <summary>
/// CumSum: y[j] = Σ x[i] along axis over i ≤ j (i &lt; j when exclusive; i ≥ j / i &gt; j when reverse);
/// float16/bfloat16 accumulate in float32 (https://onnx.ai/onnx/operators/onnx__CumSum.html).
/// </summary>
internal sealed class CumSum : IKernel
{
    private readonly bool _exclusive;
    private readonly bool _reverse;

    public CumSum(KernelCreationContext ctx)
    {
        _exclusive = ctx.Attributes.GetInt("exclusive", 0) != 0;
        _reverse = ctx.Attributes.GetInt("reverse", 0) != 0;
    }

    public void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        var axisTensor = ctx.Input(1);
        if (axisTensor.Length != 1 || axisTensor.DataType is not (DataType.Int32 or DataType.Int64))
        {
            throw ctx.Error($"axis must be an int32 or int64 scalar, got {axisTensor.DataType.Name()}{axisTensor.ShapeString}");
        }

        int axis = TransformShapes.NormalizeAxis(axisTensor.ToInt64Array()[0], x.Rank, ctx.Error);
        var y = ctx.Output(0, x.DataType, x.Dims);
        int outer = Elements.Product(x.Dims, 0, axis);
        int n = x.Dims[axis];
        int inner = Elements.Product(x.Dims, axis + 1, x.Rank);
        if (x.DataType is DataType.Float16 or DataType.BFloat16)
        {
            var xf = Tensor.Create(FloatConversion.ToFloat(x), x.DimsArray());
            var yf = new Tensor<float>(x.Dims);
            new Job(xf, yf, outer, n, inner, _exclusive, _reverse).Invoke<float>();
            FloatConversion.FromFloat(yf.Span, y);
            return;
        }

        var job = new Job(x, y, outer, n, inner, _exclusive, _reverse);
        if (!Elements.DispatchNumeric(x.DataType, ref job))
        {
            throw ctx.Error($"input must be numeric, got {x.DataType.Name()}");
        }
    }

    private readonly struct Job(Tensor x, Tensor y, int outer, int n, int inner, bool exclusive, bool reverse) : INumericAction
    {
        public void Invoke<T>()
            where T : unmanaged, INumber<T>
        {
            var src = x.AsSpan<T>();
            var dst = y.AsSpan<T>();
            var acc = new T[inner];
            for (int o = 0; o < outer; o++)
            {
                Array.Clear(acc);

                // Rows of `inner` contiguous elements, visited along the axis; acc holds the running sums.
                for (int s = 0; s < n; s++)
                {
                    int j = reverse ? n - 1 - s : s;
                    var xRow = src.Slice(((o * n) + j) * inner, inner);
                    var yRow = dst.Slice(((o * n) + j) * inner, inner);
                    for (int i = 0; i < inner; i++)
                    {
                        T sum = acc[i] + xRow[i];
                        yRow[i] = exclusive ? acc[i] : sum;
                        acc[i] = sum;
                    }
                }
            }
        }
    }
}
