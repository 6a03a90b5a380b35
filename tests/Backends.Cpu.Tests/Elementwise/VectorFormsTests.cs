using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;
using OpenAutoGlm.Backends.Cpu.Simd;

namespace OpenAutoGlm.Backends.Cpu.Tests.Elementwise;

/// <summary>
/// The vector forms of every vectorized unary operator struct reproduce its scalar form, lane by lane, on
/// random values and specials (±0, ±inf, NaN, tiny, huge); the Vector256 and Vector128 paths run here
/// whatever the machine's SIMD width.
/// </summary>
public sealed class VectorFormsTests
{
    private static readonly float[] s_specials = [0f, -0f, 1e-30f, -1e-30f, 1e-7f, -1e-7f, 0.5f, -0.5f, 1f, -1f, 88f, -88f, 1e30f, -1e30f, float.PositiveInfinity, float.NegativeInfinity, float.NaN];

    [Fact]
    public void UnaryVectorFormsReproduceScalar()
    {
        Check("Abs", default(Abs.Op), -10, 10);
        Check("Neg", default(Neg.Op), -10, 10);
        Check("Sign", default(Sign.Op), -10, 10);
        Check("Relu", default(Relu.Op), -10, 10);
        Check("Erf", default(Erf.Op), -5, 5);
        Check("Reciprocal", default(Reciprocal.Op), -10, 10);
        Check("Sqrt", default(Sqrt.Op), 0, 100);
        Check("Exp", default(Exp.Op), -87, 87);
        Check("Log", default(Log.Op), 0, 1000);
        Check("Ceil", default(Ceil.Op), -50, 50);
        Check("Floor", default(Floor.Op), -50, 50);
        Check("Round", default(Round.Op), -50, 50);
        Check("Sin", default(Sin.Op), -20, 20);
        Check("Cos", default(Cos.Op), -20, 20);
        Check("Tan", default(Tan.Op), -1.5f, 1.5f);
        Check("Sigmoid", default(Sigmoid.Op), -20, 20);
        Check("Tanh", default(Tanh.Op), -5, 5);
        Check("Softsign", default(Softsign.Op), -10, 10);
        Check("Softplus", default(Softplus.Op), -30, 30);
        Check("HardSwish", default(HardSwish.Op), -5, 5);
        Check("LeakyRelu", new LeakyRelu.Op(0.1f), -5, 5);
        Check("Elu", new Elu.Op(1.5f), -5, 5);
        Check("Selu", new Selu.Op(1.6732632f, 1.050701f), -5, 5);
        Check("Celu", new Celu.Op(0.7f), -5, 5);
        Check("HardSigmoid", new HardSigmoid.Op(0.2f, 0.5f), -5, 5);
        Check("ThresholdedRelu", new ThresholdedRelu.Op(1f), -5, 5);
        Check("Shrink", new Shrink.Op(0.5f, 0.25f), -2, 2);
        Check("Clip", new Clip.Op(-1, 2), -5, 5);
    }

    [Fact]
    public void BinaryVectorFormsReproduceScalar()
    {
        CheckBinary<Add.Op>("Add");
        CheckBinary<Sub.Op>("Sub");
        CheckBinary<Mul.Op>("Mul");
        CheckBinary<Div.Op>("Div");
        CheckBinary<Max.Op>("Max");
        CheckBinary<Min.Op>("Min");
        CheckBinary<PRelu.Op>("PRelu");
    }

    private static void Check<TOp>(string name, TOp op, float lo, float hi)
        where TOp : struct, IVectorUnaryFunction
    {
        var rng = new Random(name.Length);
        var values = s_specials.Concat(Enumerable.Range(0, 1024).Select(_ => lo + ((float)rng.NextDouble() * (hi - lo)))).ToArray();
        foreach (var chunk in values.Chunk(8).Where(c => c.Length == 8))
        {
            var v256 = op.Invoke(Vector256.Create<float>(chunk));
            var v128 = op.Invoke(Vector128.Create<float>(chunk.AsSpan(0, 4)));
            for (int i = 0; i < 8; i++)
            {
                float scalar = op.Invoke(chunk[i]);
                AssertSame(name, chunk[i], scalar, v256[i], "Vector256");
                if (i < 4)
                {
                    AssertSame(name, chunk[i], scalar, v128[i], "Vector128");
                }
            }
        }
    }

    private static void CheckBinary<TOp>(string name)
        where TOp : struct, IVectorBinaryOperator
    {
        var rng = new Random(name.Length);
        var a = s_specials.Concat(Enumerable.Range(0, 1024).Select(_ => (float)((rng.NextDouble() * 20) - 10))).ToArray();
        var b = a.Reverse().ToArray();
        for (int k = 0; k + 8 <= a.Length; k += 8)
        {
            var v256 = TOp.Invoke(Vector256.Create<float>(a.AsSpan(k, 8)), Vector256.Create<float>(b.AsSpan(k, 8)));
            var v128 = TOp.Invoke(Vector128.Create<float>(a.AsSpan(k, 4)), Vector128.Create<float>(b.AsSpan(k, 4)));
            for (int i = 0; i < 8; i++)
            {
                float scalar = TOp.Invoke(a[k + i], b[k + i]);
                AssertSame(name, a[k + i], scalar, v256[i], "Vector256");
                if (i < 4)
                {
                    AssertSame(name, a[k + i], scalar, v128[i], "Vector128");
                }
            }
        }
    }

    private static void AssertSame(string name, float x, float scalar, float vector, string width)
    {
        bool ok = float.IsNaN(scalar) ? float.IsNaN(vector)
            : float.IsInfinity(scalar) ? scalar == vector
            : Math.Abs(vector - scalar) <= 1e-6 + (2e-6 * Math.Abs(scalar));
        Assert.True(ok, $"{name}({x}): scalar {scalar}, {width} {vector}");
    }
}
