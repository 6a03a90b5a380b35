using OpenAutoGlm.Core;
using OpenAutoGlm.Optimizer;
using OpenAutoGlm.Runtime;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.Transform;

/// <summary>
/// Independent references for data-movement tests: random tensors of every dtype, and expected outputs
/// built one element at a time from a per-coordinate source index (naive, no strides or blocks).
/// </summary>
internal static class TransformOracle
{
    /// <summary>Every element type a CPU tensor can hold.</summary>
    public static readonly DataType[] AllTypes =
    [
        DataType.Float32, DataType.Float64, DataType.Float16, DataType.BFloat16,
        DataType.Int8, DataType.Int16, DataType.Int32, DataType.Int64,
        DataType.UInt8, DataType.UInt16, DataType.UInt32, DataType.UInt64,
        DataType.Bool, DataType.String,
    ];

    public static IEnumerable<object[]> AllTypeCases() => AllTypes.Select(t => new object[] { t });

    /// <summary>A tensor of distinct-looking random values (random bits for numbers, "s123" strings).</summary>
    public static Tensor Random(DataType type, int[] dims, int seed)
    {
        var rng = new Random(seed);
        var t = Tensor.Allocate(type, dims);
        if (t is StringTensor s)
        {
            for (int i = 0; i < s.Length; i++)
            {
                s.Data[i] = $"s{rng.Next(1000)}";
            }

            return t;
        }

        if (type == DataType.Bool)
        {
            var b = t.AsSpan<bool>();
            for (int i = 0; i < b.Length; i++)
            {
                b[i] = rng.Next(2) == 1;
            }

            return t;
        }

        if (type.IsFloatingPoint())
        {
            var f = new float[t.Length];
            for (int i = 0; i < f.Length; i++)
            {
                f[i] = (float)Math.Round((rng.NextDouble() * 200) - 100, 2);
            }

            WriteFloats(f, t);
            return t;
        }

        rng.NextBytes(t.AsBytes());
        return t;
    }

    public static Tensor<float> Floats(int[] dims, int seed) => (Tensor<float>)Random(DataType.Float32, dims, seed);

    /// <summary>Sequential values 0, 1, 2, ... as float32 (easy to read in failures).</summary>
    public static Tensor<float> Iota(params int[] dims)
    {
        var t = new Tensor<float>(dims);
        for (int i = 0; i < t.Length; i++)
        {
            t[i] = i;
        }

        return t;
    }

    /// <summary>expected[c] = source[sourceIndex(c)] for every output coordinate c (element-wise, by bytes or string).</summary>
    public static Tensor Take(Tensor source, int[] outDims, Func<int[], int> sourceIndex)
    {
        var result = Tensor.Allocate(source.DataType, outDims);
        var coord = new int[outDims.Length];
        int size = source.DataType.SizeOf();
        for (int i = 0; i < result.Length; i++)
        {
            int s = sourceIndex(coord);
            if (source is StringTensor ss)
            {
                ((StringTensor)result).Data[i] = ss.Data[s];
            }
            else
            {
                source.AsBytes().Slice(s * size, size).CopyTo(result.AsBytes().Slice(i * size, size));
            }

            for (int k = outDims.Length - 1; k >= 0; k--)
            {
                if (++coord[k] < outDims[k])
                {
                    break;
                }

                coord[k] = 0;
            }
        }

        return result;
    }

    /// <summary>The flat elements of all <paramref name="parts"/> one after another; starts[i] is where part i begins.</summary>
    public static Tensor Join(Tensor[] parts, out int[] starts)
    {
        starts = new int[parts.Length];
        for (int i = 1; i < parts.Length; i++)
        {
            starts[i] = starts[i - 1] + parts[i - 1].Length;
        }

        var flat = Tensor.Allocate(parts[0].DataType, [parts.Sum(t => t.Length)]);
        for (int i = 0; i < parts.Length; i++)
        {
            if (parts[i] is StringTensor s)
            {
                s.Data.CopyTo(((StringTensor)flat).Data, starts[i]);
            }
            else
            {
                parts[i].AsBytes().CopyTo(flat.AsBytes()[(starts[i] * parts[i].DataType.SizeOf())..]);
            }
        }

        return flat;
    }

    /// <summary>Row-major linear index of <paramref name="coord"/> in <paramref name="dims"/>.</summary>
    public static int Linear(int[] dims, int[] coord)
    {
        int off = 0;
        for (int k = 0; k < dims.Length; k++)
        {
            off = (off * dims[k]) + coord[k];
        }

        return off;
    }

    /// <summary>Exact comparison (bit-level for numbers, so NaN/-0.0 must match too).</summary>
    public static void Equal(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.DataType, actual.DataType);
        Assert.Equal(expected.ShapeString, actual.ShapeString);
        if (expected is StringTensor es)
        {
            Assert.Equal(es.Data, ((StringTensor)actual).Data);
            return;
        }

        Assert.True(expected.AsBytes().SequenceEqual(actual.AsBytes()), $"values differ: expected [{string.Join(",", expected.ToDoubleArray().Take(20))}] got [{string.Join(",", actual.ToDoubleArray().Take(20))}]");
    }

    public static Tensor<long> Longs(params long[] values) => Tensor.Create(values, values.Length);

    /// <summary>The output types shape inference gives a single-op model (strict: errors throw).</summary>
    public static TypeInfo?[] Infer(OpTester tester)
    {
        var model = tester.BuildModel();
        ShapeInferencer.Run(model, new ShapeInferenceOptions { Strict = true, ConstantEvaluator = ConstantFolding.CreateEvaluator([new CpuExecutionProvider()]) });
        return model.Graph.Outputs.Select(o => o.Type).ToArray();
    }

    /// <summary>Creates a session (shape inference with constant folding) and returns the declared output types.</summary>
    public static IReadOnlyList<ValueInfo> SessionOutputs(Model model) =>
        InferenceSession.Create(model, new SessionOptions { Providers = [new CpuExecutionProvider()], OptimizationLevel = OptimizationLevel.None }).Outputs;

    private static void WriteFloats(float[] values, Tensor t)
    {
        for (int i = 0; i < values.Length; i++)
        {
            switch (t.DataType)
            {
                case DataType.Float32:
                    t.AsSpan<float>()[i] = values[i];
                    break;
                case DataType.Float64:
                    t.AsSpan<double>()[i] = values[i];
                    break;
                case DataType.Float16:
                    t.AsSpan<Half>()[i] = (Half)values[i];
                    break;
                default:
                    t.AsSpan<BFloat16>()[i] = (BFloat16)values[i];
                    break;
            }
        }
    }
}
