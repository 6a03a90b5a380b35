using System.Numerics.Tensors;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nn;

/// <summary>
/// BatchNormalization: Y = (X - mean) / sqrt(var + epsilon) * scale + B per channel, X [N, C, D1, ...]. Inference uses
/// input_mean/input_var; opset 14+ training_mode uses the batch statistics and also returns
/// running_mean = input_mean * momentum + mean * (1 - momentum) (likewise running_var, population variance).
/// Before opset 9, spatial = 0 takes per-feature statistics of shape [C, D1, ...]
/// (https://onnx.ai/onnx/operators/onnx__BatchNormalization.html).
/// </summary>
internal sealed class BatchNormalization : IKernel
{
    private readonly float _epsilon;
    private readonly float _momentum;
    private readonly bool _training;
    private readonly bool _spatial;
    private readonly long _opset;

    public BatchNormalization(KernelCreationContext ctx)
    {
        _epsilon = ctx.Attributes.GetFloat("epsilon", 1e-5f);
        _momentum = ctx.Attributes.GetFloat("momentum", 0.9f);
        _training = ctx.Opset >= 14 && ctx.Attributes.GetInt("training_mode", 0) != 0;
        _spatial = ctx.Opset >= 9 || ctx.Attributes.GetInt("spatial", 1) != 0;
        _opset = ctx.Opset;
    }

    public void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        if (x.Rank < 2)
        {
            throw ctx.Error($"input X must have rank >= 2 ([N, C, ...]), got shape {x.ShapeString}");
        }

        int n = x.Dims[0], c = x.Dims[1];
        int inner = n == 0 || c == 0 ? 0 : x.Length / (n * c);

        // Statistics are per channel, or per (channel, position) in the old non-spatial mode.
        int features = _spatial ? c : c * inner;
        int planeSize = _spatial ? inner : 1;
        var parameters = new double[4][];
        for (int i = 1; i <= 4; i++)
        {
            var p = ctx.Input(i);
            if (p.Length != features)
            {
                throw ctx.Error($"input {i} ({ctx.Node.InputOrEmpty(i)}) has shape {p.ShapeString} but X {x.ShapeString} needs {features} values{(_spatial ? " (one per channel)" : " (non-spatial: one per feature)")}");
            }

            if (!p.DataType.IsFloatingPoint())
            {
                throw ctx.Error($"input {i} ({ctx.Node.InputOrEmpty(i)}) must be a float tensor, got {p.DataType.Name()}");
            }

            parameters[i - 1] = p.ToDoubleArray();
        }

        var (scale, bias, mean, variance) = (parameters[0], parameters[1], parameters[2], parameters[3]);
        bool wantsStats = Enumerable.Range(1, Math.Max(0, ctx.OutputCount - 1)).Any(ctx.IsOutputRequested);
        if (wantsStats && !_training)
        {
            throw ctx.Error(_opset >= 14
                ? "running_mean/running_var outputs need training_mode=1"
                : $"training-mode outputs (mean, var, saved_mean, saved_var) are not supported at opset {_opset}; only Y is computed");
        }

        if (!x.DataType.IsFloatingPoint())
        {
            throw ctx.Error($"unsupported element type {x.DataType.Name()}");
        }

        double[] useMean = mean, useVar = variance;
        if (_training)
        {
            (useMean, useVar) = BatchStatistics(x.ToDoubleArray(), n, features, planeSize);
        }

        // y = x * a + b with a = scale / sqrt(var + eps), b = B - mean * a.
        var a = new double[features];
        var b = new double[features];
        for (int f = 0; f < features; f++)
        {
            a[f] = scale[f] / Math.Sqrt(useVar[f] + _epsilon);
            b[f] = bias[f] - (useMean[f] * a[f]);
        }

        var y = ctx.Output(0, x.DataType, x.Dims);
        if (x.DataType == DataType.Float64)
        {
            var xd = x.AsSpan<double>();
            var yd = y.AsSpan<double>();
            for (int i = 0; i < xd.Length; i++)
            {
                int f = i / planeSize % features;
                yd[i] = (xd[i] * a[f]) + b[f];
            }
        }
        else
        {
            ReadOnlySpan<float> xf = x.DataType == DataType.Float32 ? x.AsSpan<float>() : FloatConversion.ToFloat(x);
            var yf = x.DataType == DataType.Float32 ? y.AsSpan<float>() : new float[y.Length];
            for (int img = 0; img < n; img++)
            {
                for (int f = 0; f < features; f++)
                {
                    int off = ((img * features) + f) * planeSize;
                    var dst = yf.Slice(off, planeSize);
                    TensorPrimitives.Multiply(xf.Slice(off, planeSize), (float)a[f], dst);
                    TensorPrimitives.Add(dst, (float)b[f], dst);
                }
            }

            if (x.DataType != DataType.Float32)
            {
                FloatConversion.FromFloat(yf, y);
            }
        }

        if (_training)
        {
            WriteRunning(ctx, 1, mean, useMean);
            WriteRunning(ctx, 2, variance, useVar);
        }
    }

    private void WriteRunning(KernelContext ctx, int output, double[] input, double[] current)
    {
        if (!ctx.IsOutputRequested(output))
        {
            return;
        }

        var like = ctx.Input(output + 2);
        var running = new float[input.Length];
        for (int i = 0; i < running.Length; i++)
        {
            running[i] = (float)((input[i] * _momentum) + (current[i] * (1 - _momentum)));
        }

        var result = ctx.Output(output, like.DataType, like.Dims);
        if (result.DataType == DataType.Float64)
        {
            for (int i = 0; i < running.Length; i++)
            {
                result.AsSpan<double>()[i] = (input[i] * _momentum) + (current[i] * (1 - _momentum));
            }
        }
        else
        {
            FloatConversion.FromFloat(running, result);
        }
    }

    /// <summary>Mean and population variance of each feature over the batch and its plane (two passes).</summary>
    private static (double[] Mean, double[] Var) BatchStatistics(double[] x, int n, int features, int planeSize)
    {
        var mean = new double[features];
        var variance = new double[features];
        double count = (double)n * planeSize;
        for (int f = 0; f < features; f++)
        {
            double sum = 0;
            for (int img = 0; img < n; img++)
            {
                sum += TensorPrimitives.Sum<double>(x.AsSpan(((img * features) + f) * planeSize, planeSize));
            }

            double m = sum / count;
            double sq = 0;
            for (int img = 0; img < n; img++)
            {
                foreach (double v in x.AsSpan(((img * features) + f) * planeSize, planeSize))
                {
                    sq += (v - m) * (v - m);
                }
            }

            mean[f] = m;
            variance[f] = sq / count;
        }

        return (mean, variance);
    }
}
