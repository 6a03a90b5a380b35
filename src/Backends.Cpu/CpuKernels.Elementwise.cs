using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;
using E = OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

namespace OpenAutoGlm.Backends.Cpu;

internal static partial class CpuKernels
{
    private static readonly DataType[] s_floats = [DataType.Float32, DataType.Float64, DataType.Float16, DataType.BFloat16];
    private static readonly DataType[] s_signedInts = [DataType.Int8, DataType.Int16, DataType.Int32, DataType.Int64];
    private static readonly DataType[] s_unsignedInts = [DataType.UInt8, DataType.UInt16, DataType.UInt32, DataType.UInt64];
    private static readonly DataType[] s_signed = [.. s_floats, .. s_signedInts];
    private static readonly DataType[] s_numeric = [.. s_signed, .. s_unsignedInts];
    private static readonly DataType[] s_numericAndBool = [.. s_numeric, DataType.Bool];
    private static readonly DataType[] s_bool = [DataType.Bool];

    private static void RegisterElementwise(KernelRegistry r)
    {
        // Unary math
        r.Add("Abs", _ => new E.Abs(), types: s_numeric);
        r.Add("Neg", _ => new E.Neg(), types: s_signed);
        r.Add("Sign", _ => new E.Sign(), since: 9, types: s_numeric);
        r.Add("Reciprocal", _ => new E.Reciprocal(), types: s_floats);
        r.Add("Sqrt", _ => new E.Sqrt(), types: s_floats);
        r.Add("Exp", _ => new E.Exp(), types: s_floats);
        r.Add("Log", _ => new E.Log(), types: s_floats);
        r.Add("Ceil", _ => new E.Ceil(), types: s_floats);
        r.Add("Floor", _ => new E.Floor(), types: s_floats);
        r.Add("Round", _ => new E.Round(), since: 11, types: s_floats);
        r.Add("Erf", _ => new E.Erf(), since: 9, types: s_numeric);
        r.Add("Sin", _ => new E.Sin(), since: 7, types: s_floats);
        r.Add("Cos", _ => new E.Cos(), since: 7, types: s_floats);
        r.Add("Tan", _ => new E.Tan(), since: 7, types: s_floats);
        r.Add("Asin", _ => new E.Asin(), since: 7, types: s_floats);
        r.Add("Acos", _ => new E.Acos(), since: 7, types: s_floats);
        r.Add("Atan", _ => new E.Atan(), since: 7, types: s_floats);
        r.Add("Sinh", _ => new E.Sinh(), since: 9, types: s_floats);
        r.Add("Cosh", _ => new E.Cosh(), since: 9, types: s_floats);
        r.Add("Asinh", _ => new E.Asinh(), since: 9, types: s_floats);
        r.Add("Acosh", _ => new E.Acosh(), since: 9, types: s_floats);
        r.Add("Atanh", _ => new E.Atanh(), since: 9, types: s_floats);
        r.Add("IsNaN", _ => new E.IsNaN(), since: 9, types: s_floats);
        r.Add("IsInf", c => new E.IsInf(c), since: 10, types: s_floats);
        r.Add("Not", _ => new E.Not(), types: s_bool);

        // Activations
        r.Add("Relu", _ => new E.Relu(), types: s_signed);
        r.Add("Sigmoid", _ => new E.Sigmoid(), types: s_floats);
        r.Add("Tanh", _ => new E.Tanh(), types: s_floats);
        r.Add("LeakyRelu", c => new E.LeakyRelu(c), types: s_floats);
        r.Add("Elu", c => new E.Elu(c), types: s_floats);
        r.Add("Selu", c => new E.Selu(c), types: s_floats);
        r.Add("Celu", c => new E.Celu(c), since: 12, types: s_floats);
        r.Add("HardSigmoid", c => new E.HardSigmoid(c), types: s_floats);
        r.Add("HardSwish", _ => new E.HardSwish(), since: 14, types: s_floats);
        r.Add("Softplus", _ => new E.Softplus(), types: s_floats);
        r.Add("Softsign", _ => new E.Softsign(), types: s_floats);
        r.Add("ThresholdedRelu", c => new E.ThresholdedRelu(c), types: s_floats);
        r.Add("Shrink", c => new E.Shrink(c), since: 9, types: s_numeric);
        r.Add("PRelu", _ => new E.PRelu(), types: s_numeric);

        // Broadcasting binary
        r.Add("Add", _ => new E.Add(), types: s_numeric);
        r.Add("Sub", _ => new E.Sub(), types: s_numeric);
        r.Add("Mul", _ => new E.Mul(), types: s_numeric);
        r.Add("Div", _ => new E.Div(), types: s_numeric);
        r.Add("Pow", _ => new E.Pow(), types: s_numeric);
        r.Add("Mod", c => new E.Mod(c), since: 10, types: s_numeric);
        r.Add("BitShift", c => new E.BitShift(c), since: 11, types: s_unsignedInts);
        r.Add("And", _ => new E.And(), types: s_bool);
        r.Add("Or", _ => new E.Or(), types: s_bool);
        r.Add("Xor", _ => new E.Xor(), types: s_bool);
        r.Add("Equal", _ => new E.Equal(), types: [.. s_numericAndBool, DataType.String]);
        r.Add("Less", _ => new E.Less(), types: s_numeric);
        r.Add("Greater", _ => new E.Greater(), types: s_numeric);
        r.Add("LessOrEqual", _ => new E.LessOrEqual(), since: 12, types: s_numeric);
        r.Add("GreaterOrEqual", _ => new E.GreaterOrEqual(), since: 12, types: s_numeric);

        // Variadic
        r.Add("Sum", _ => new E.Sum(), types: s_numeric);
        r.Add("Mean", _ => new E.Mean(), types: s_floats);
        r.Add("Max", _ => new E.Max(), types: s_numeric);
        r.Add("Min", _ => new E.Min(), types: s_numeric);

        // Selection and conversion
        r.Add("Where", _ => new E.Where(), since: 9, types: s_bool);
        r.Add("Clip", c => new E.Clip(c), types: s_numeric);
        r.Add("Cast", c => new E.Cast(c));
        r.Add("CastLike", _ => new E.CastLike(), since: 15);
    }
}
