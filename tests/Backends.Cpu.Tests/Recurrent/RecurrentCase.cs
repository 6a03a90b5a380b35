using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.Recurrent;

/// <summary>One named activation of the oracle with its explicit parameters.</summary>
public readonly record struct Act(string Name, double Alpha = 0, double Beta = 0)
{
    /// <summary>The ONNX recurrent-op activation definitions, evaluated in double.</summary>
    public double Apply(double x) => Name switch
    {
        "Sigmoid" => 1 / (1 + Math.Exp(-x)),
        "Tanh" => Math.Tanh(x),
        "Relu" => Math.Max(0, x),
        "Affine" => (Alpha * x) + Beta,
        "LeakyRelu" => x >= 0 ? x : Alpha * x,
        "ThresholdedRelu" => x > Alpha ? x : 0,
        "ScaledTanh" => Alpha * Math.Tanh(Beta * x),
        "HardSigmoid" => Math.Min(Math.Max((Alpha * x) + Beta, 0), 1),
        "Elu" => x >= 0 ? x : Alpha * (Math.Exp(x) - 1),
        "Softsign" => x / (1 + Math.Abs(x)),
        "Softplus" => Math.Log(1 + Math.Exp(x)),
        _ => throw new ArgumentException($"unknown activation {Name}"),
    };
}

/// <summary>
/// A random LSTM/GRU/RNN problem: builds the node through <see cref="OpTester"/> and computes the expected
/// outputs with a naive scalar oracle written straight from the ONNX step equations (one batch entry, one
/// time step, one hidden unit at a time, in double).
/// </summary>
public sealed class RecurrentCase
{
    public RecurrentCase(string op, int seq, int batch, int input, int hidden, int seed = 1)
    {
        Op = op;
        Gates = op switch { "LSTM" => 4, "GRU" => 3, _ => 1 };
        Seq = seq;
        Batch = batch;
        InputSize = input;
        Hidden = hidden;
        Seed = seed;
    }

    public string Op { get; }

    public int Gates { get; }

    public int Seq { get; }

    public int Batch { get; }

    public int InputSize { get; }

    public int Hidden { get; }

    public int Seed { get; }

    public string Direction { get; init; } = "forward";

    public bool BatchFirst { get; init; }

    public bool HasBias { get; init; } = true;

    public int[]? Lengths { get; init; }

    public bool HasInitialH { get; init; }

    public bool HasInitialC { get; init; }

    public bool HasPeepholes { get; init; }

    public float? Clip { get; init; }

    /// <summary>A P tensor to feed instead of the generated peepholes (for shape errors).</summary>
    public Tensor? PeepholeTensor { get; init; }

    public bool InputForget { get; init; }

    public bool LinearBeforeReset { get; init; }

    public long Opset { get; init; } = 14;

    public DataType DataType { get; init; } = DataType.Float32;

    /// <summary>The oracle's activations, one per slot of every direction; null: the op's defaults.</summary>
    public Act[]? Activations { get; init; }

    /// <summary>Whether to write the activations attribute (false: rely on the op's defaults).</summary>
    public bool WriteActivations { get; init; } = true;

    public float[]? AlphaAttribute { get; init; }

    public float[]? BetaAttribute { get; init; }

    public int Directions => Direction == "bidirectional" ? 2 : 1;

    private double[]? _x, _w, _r, _b, _h0, _c0, _p;

    public OpTester Tester()
    {
        Generate();
        int d = Directions;
        int[] stateDims = BatchFirst ? [Batch, d, Hidden] : [d, Batch, Hidden];
        var t = new OpTester(Op, Opset)
            .Input(Make(_x!, BatchFirst ? [Batch, Seq, InputSize] : [Seq, Batch, InputSize]))
            .Input(Make(_w!, [d, Gates * Hidden, InputSize]))
            .Input(Make(_r!, [d, Gates * Hidden, Hidden]))
            .Input(HasBias ? Make(_b!, [d, 2 * Gates * Hidden]) : null)
            .Input(Lengths is null ? null : Tensor.Create(Lengths, Batch))
            .Input(HasInitialH ? Make(_h0!, stateDims) : null);
        if (Op == "LSTM")
        {
            t.Input(HasInitialC ? Make(_c0!, stateDims) : null).Input(PeepholeTensor ?? (HasPeepholes ? Make(_p!, [d, 3 * Hidden]) : null));
        }

        t.Attr("hidden_size", Hidden).Outputs(Op == "LSTM" ? 3 : 2);
        if (Direction != "forward")
        {
            t.Attr("direction", Direction);
        }

        if (BatchFirst)
        {
            t.Attr("layout", 1L);
        }

        if (Clip is float c)
        {
            t.Attr("clip", c);
        }

        if (InputForget)
        {
            t.Attr("input_forget", 1L);
        }

        if (LinearBeforeReset)
        {
            t.Attr("linear_before_reset", 1L);
        }

        if (Activations is not null && WriteActivations)
        {
            t.Attribute(NodeAttribute.Of("activations", Activations.Select(a => a.Name).ToArray()));
        }

        if (AlphaAttribute is not null)
        {
            t.Attr("activation_alpha", AlphaAttribute);
        }

        if (BetaAttribute is not null)
        {
            t.Attr("activation_beta", BetaAttribute);
        }

        return t;
    }

    /// <summary>Runs the op and compares Y, Y_h (and Y_c) with the oracle.</summary>
    public void Check(double rtol = 1e-4, double atol = 1e-5)
    {
        var actual = Tester().Run();
        var expected = Expected();
        for (int i = 0; i < actual.Length; i++)
        {
            if (TensorAssert.Compare(Make(expected[i], i == 0 ? OutputDims : StateDims), actual[i], rtol, atol) is { } why)
            {
                throw new Xunit.Sdk.XunitException($"output {i} of {Op}: {why}");
            }
        }
    }

    private int[] OutputDims => BatchFirst ? [Batch, Seq, Directions, Hidden] : [Seq, Directions, Batch, Hidden];

    private int[] StateDims => BatchFirst ? [Batch, Directions, Hidden] : [Directions, Batch, Hidden];

    /// <summary>[Y, Y_h, (Y_c)] computed by the scalar oracle, in the case's layout.</summary>
    public double[][] Expected()
    {
        Generate();
        int dirs = Directions, h = Hidden;
        var y = new double[Seq * dirs * Batch * h];
        var yh = new double[dirs * Batch * h];
        var yc = new double[dirs * Batch * h];
        for (int d = 0; d < dirs; d++)
        {
            bool reverse = Direction == "reverse" || d == 1;
            for (int b = 0; b < Batch; b++)
            {
                int len = Lengths?[b] ?? Seq;
                var hPrev = new double[h];
                var cPrev = new double[h];
                for (int j = 0; j < h; j++)
                {
                    hPrev[j] = HasInitialH ? _h0![StateIndex(d, b, j)] : 0;
                    cPrev[j] = HasInitialC ? _c0![StateIndex(d, b, j)] : 0;
                }

                for (int s = 0; s < len; s++)
                {
                    int t = reverse ? len - 1 - s : s;
                    var (hNext, cNext) = Op switch
                    {
                        "LSTM" => LstmStep(d, t, b, hPrev, cPrev),
                        "GRU" => (GruStep(d, t, b, hPrev), cPrev),
                        _ => (RnnStep(d, t, b, hPrev), cPrev),
                    };
                    hPrev = hNext;
                    cPrev = cNext;
                    for (int j = 0; j < h; j++)
                    {
                        y[OutputIndex(t, d, b, j)] = hPrev[j];
                    }
                }

                for (int j = 0; j < h; j++)
                {
                    yh[StateIndex(d, b, j)] = len == 0 ? 0 : hPrev[j];
                    yc[StateIndex(d, b, j)] = len == 0 ? 0 : cPrev[j];
                }
            }
        }

        return Op == "LSTM" ? [y, yh, yc] : [y, yh];
    }

    private (double[] H, double[] C) LstmStep(int d, int t, int b, double[] hPrev, double[] cPrev)
    {
        var f = Activation(d, 0);
        var g = Activation(d, 1);
        var hAct = Activation(d, 2);
        var hNext = new double[Hidden];
        var cNext = new double[Hidden];
        for (int j = 0; j < Hidden; j++)
        {
            // Gate blocks are stacked i, o, f, c; peepholes i, o, f.
            double it = f.Apply(ClipValue(Linear(d, 0, j, t, b, hPrev) + Peephole(d, 0, j) * cPrev[j]));
            double ft = InputForget ? 1 - it : f.Apply(ClipValue(Linear(d, 2, j, t, b, hPrev) + Peephole(d, 2, j) * cPrev[j]));
            double ct = g.Apply(ClipValue(Linear(d, 3, j, t, b, hPrev)));
            cNext[j] = (ft * cPrev[j]) + (it * ct);
            double ot = f.Apply(ClipValue(Linear(d, 1, j, t, b, hPrev) + Peephole(d, 1, j) * cNext[j]));
            hNext[j] = ot * hAct.Apply(cNext[j]);
        }

        return (hNext, cNext);
    }

    private double[] GruStep(int d, int t, int b, double[] hPrev)
    {
        var f = Activation(d, 0);
        var g = Activation(d, 1);
        var z = new double[Hidden];
        var r = new double[Hidden];
        for (int j = 0; j < Hidden; j++)
        {
            z[j] = f.Apply(ClipValue(Linear(d, 0, j, t, b, hPrev)));
            r[j] = f.Apply(ClipValue(Linear(d, 1, j, t, b, hPrev)));
        }

        var hNext = new double[Hidden];
        var reset = hPrev.Select((v, k) => r[k] * v).ToArray();
        for (int j = 0; j < Hidden; j++)
        {
            double xw = Dot(d, 2, j, t, b) + Bias(d, 0, 2, j);
            double ht = LinearBeforeReset
                ? xw + (r[j] * (Recur(d, 2, j, hPrev) + Bias(d, 1, 2, j)))
                : xw + Recur(d, 2, j, reset) + Bias(d, 1, 2, j);
            ht = g.Apply(ClipValue(ht));
            hNext[j] = ((1 - z[j]) * ht) + (z[j] * hPrev[j]);
        }

        return hNext;
    }

    private double[] RnnStep(int d, int t, int b, double[] hPrev)
    {
        var f = Activation(d, 0);
        var hNext = new double[Hidden];
        for (int j = 0; j < Hidden; j++)
        {
            hNext[j] = f.Apply(ClipValue(Linear(d, 0, j, t, b, hPrev)));
        }

        return hNext;
    }

    /// <summary>Xt·W[gate]ᵀ + Ht-1·R[gate]ᵀ + Wb[gate] + Rb[gate] for hidden unit j.</summary>
    private double Linear(int d, int gate, int j, int t, int b, double[] hPrev) =>
        Dot(d, gate, j, t, b) + Recur(d, gate, j, hPrev) + Bias(d, 0, gate, j) + Bias(d, 1, gate, j);

    private double Dot(int d, int gate, int j, int t, int b)
    {
        double sum = 0;
        int row = (((d * Gates) + gate) * Hidden) + j;
        for (int k = 0; k < InputSize; k++)
        {
            int xi = BatchFirst ? (((b * Seq) + t) * InputSize) + k : (((t * Batch) + b) * InputSize) + k;
            sum += _x![xi] * _w![(row * InputSize) + k];
        }

        return sum;
    }

    private double Recur(int d, int gate, int j, double[] hPrev)
    {
        double sum = 0;
        int row = (((d * Gates) + gate) * Hidden) + j;
        for (int k = 0; k < Hidden; k++)
        {
            sum += hPrev[k] * _r![(row * Hidden) + k];
        }

        return sum;
    }

    /// <summary>Wb (part 0) or Rb (part 1) of a gate; B is [dirs, Wb(gates*H) | Rb(gates*H)].</summary>
    private double Bias(int d, int part, int gate, int j) =>
        HasBias ? _b![(d * 2 * Gates * Hidden) + (part * Gates * Hidden) + (gate * Hidden) + j] : 0;

    private double Peephole(int d, int gate, int j) => HasPeepholes ? _p![(d * 3 * Hidden) + (gate * Hidden) + j] : 0;

    private double ClipValue(double x) => Clip is float c ? Math.Clamp(x, -c, c) : x;

    private Act Activation(int d, int slot)
    {
        int perDirection = Gates switch { 4 => 3, 3 => 2, _ => 1 };
        if (Activations is null)
        {
            return Op switch
            {
                "LSTM" => slot == 0 ? new Act("Sigmoid") : new Act("Tanh"),
                "GRU" => slot == 0 ? new Act("Sigmoid") : new Act("Tanh"),
                _ => new Act("Tanh"),
            };
        }

        return Activations[(Activations.Length == perDirection ? 0 : d * perDirection) + slot];
    }

    private int OutputIndex(int t, int d, int b, int j) =>
        BatchFirst ? (((((b * Seq) + t) * Directions) + d) * Hidden) + j : (((((t * Directions) + d) * Batch) + b) * Hidden) + j;

    private int StateIndex(int d, int b, int j) =>
        BatchFirst ? (((b * Directions) + d) * Hidden) + j : (((d * Batch) + b) * Hidden) + j;

    private void Generate()
    {
        if (_x is not null)
        {
            return;
        }

        var rng = new Random(Seed);
        int d = Directions;
        double[] Values(int n, double scale) => Enumerable.Range(0, n).Select(_ => Round(((rng.NextDouble() * 2) - 1) * scale)).ToArray();
        _x = Values(Seq * Batch * InputSize, 1.0);
        _w = Values(d * Gates * Hidden * InputSize, 0.6);
        _r = Values(d * Gates * Hidden * Hidden, 0.6);
        _b = Values(d * 2 * Gates * Hidden, 0.5);
        _h0 = Values(d * Batch * Hidden, 0.8);
        _c0 = Values(d * Batch * Hidden, 0.8);
        _p = Values(d * 3 * Hidden, 0.5);
    }

    /// <summary>Rounds to the case's dtype so the oracle sees exactly the values the kernel gets.</summary>
    private double Round(double v) => DataType switch
    {
        DataType.Float32 => (float)v,
        DataType.Float16 => (double)(Half)v,
        _ => v,
    };

    private Tensor Make(double[] values, int[] dims) => DataType switch
    {
        DataType.Float64 => Tensor.Create((double[])values.Clone(), dims),
        DataType.Float16 => Tensor.Create(values.Select(v => (Half)v).ToArray(), dims),
        _ => Tensor.Create(values.Select(v => (float)v).ToArray(), dims),
    };
}
