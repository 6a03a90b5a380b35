namespace OpenAutoGlm.Core;

public static partial class OpSchemas
{
    private static void RegisterElementwise(Registrar add)
    {
        // Unary: y has x's type and shape.
        add("Abs", ShapeRules.SameAsInput0);
        add("Neg", ShapeRules.SameAsInput0);
        add("Sign", ShapeRules.SameAsInput0);
        add("Reciprocal", ShapeRules.SameAsInput0);
        add("Sqrt", ShapeRules.SameAsInput0);
        add("Exp", ShapeRules.SameAsInput0);
        add("Log", ShapeRules.SameAsInput0);
        add("Ceil", ShapeRules.SameAsInput0);
        add("Floor", ShapeRules.SameAsInput0);
        add("Round", ShapeRules.SameAsInput0);
        add("Erf", ShapeRules.SameAsInput0);
        add("Sin", ShapeRules.SameAsInput0);
        add("Cos", ShapeRules.SameAsInput0);
        add("Tan", ShapeRules.SameAsInput0);
        add("Asin", ShapeRules.SameAsInput0);
        add("Acos", ShapeRules.SameAsInput0);
        add("Atan", ShapeRules.SameAsInput0);
        add("Sinh", ShapeRules.SameAsInput0);
        add("Cosh", ShapeRules.SameAsInput0);
        add("Asinh", ShapeRules.SameAsInput0);
        add("Acosh", ShapeRules.SameAsInput0);
        add("Atanh", ShapeRules.SameAsInput0);
        add("Not", ShapeRules.SameAsInput0);
        add("IsNaN", ShapeRules.SameShapeAsInput0Bool);
        add("IsInf", ShapeRules.SameShapeAsInput0Bool);

        // Activations.
        add("Relu", ShapeRules.SameAsInput0);
        add("Sigmoid", ShapeRules.SameAsInput0);
        add("Tanh", ShapeRules.SameAsInput0);
        add("LeakyRelu", ShapeRules.SameAsInput0);
        add("Elu", ShapeRules.SameAsInput0);
        add("Selu", ShapeRules.SameAsInput0);
        add("Celu", ShapeRules.SameAsInput0);
        add("HardSigmoid", ShapeRules.SameAsInput0);
        add("HardSwish", ShapeRules.SameAsInput0);
        add("Softplus", ShapeRules.SameAsInput0);
        add("Softsign", ShapeRules.SameAsInput0);
        add("ThresholdedRelu", ShapeRules.SameAsInput0);
        add("Shrink", ShapeRules.SameAsInput0);
        add("PRelu", ShapeRules.SameAsInput0);

        // Broadcasting binary (legacy broadcast/axis attributes before opset 7) and variadic.
        add("Add", BroadcastSchema.SameType);
        add("Sub", BroadcastSchema.SameType);
        add("Mul", BroadcastSchema.SameType);
        add("Div", BroadcastSchema.SameType);
        add("Mod", BroadcastSchema.SameType);
        add("BitShift", BroadcastSchema.SameType);
        add("Pow", BroadcastSchema.FirstInputType);
        add("And", BroadcastSchema.ToBool);
        add("Or", BroadcastSchema.ToBool);
        add("Xor", BroadcastSchema.ToBool);
        add("Equal", BroadcastSchema.ToBool);
        add("Less", BroadcastSchema.ToBool);
        add("Greater", BroadcastSchema.ToBool);
        add("LessOrEqual", BroadcastSchema.ToBool);
        add("GreaterOrEqual", BroadcastSchema.ToBool);
        add("Sum", BroadcastSchema.SameType);
        add("Mean", BroadcastSchema.SameType);
        add("Max", BroadcastSchema.SameType);
        add("Min", BroadcastSchema.SameType);

        // Selection and conversion.
        add("Where", WhereSchema.Infer);
        add("Clip", ShapeRules.SameAsInput0);
        add("Cast", CastSchema.Infer);
        add("CastLike", CastSchema.InferLike);
    }
}
