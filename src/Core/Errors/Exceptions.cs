namespace OpenAutoGlm.Core;

/// <summary>Base of every error Open-AutoGLM raises on purpose. Messages name what was wrong.</summary>
public class AutoGlmException : Exception
{
    public AutoGlmException(string message)
        : base(message)
    {
    }

    public AutoGlmException(string message, Exception? inner)
        : base(message, inner)
    {
    }
}

/// <summary>A model file could not be read: malformed, truncated, oversized or unsupported content.</summary>
public class ModelLoadException : AutoGlmException
{
    public ModelLoadException(string message)
        : base(message)
    {
    }

    public ModelLoadException(string message, Exception? inner)
        : base(message, inner)
    {
    }
}

/// <summary>The graph is structurally invalid (undefined value, cycle, duplicate output, bad attribute).</summary>
public class GraphValidationException : AutoGlmException
{
    public GraphValidationException(string message)
        : base(message)
    {
    }
}

/// <summary>Shape or type inference found inputs that an op cannot accept.</summary>
public class ShapeInferenceException : AutoGlmException
{
    public ShapeInferenceException(string message)
        : base(message)
    {
    }
}

/// <summary>A tensor's element type is not the one an operation needs.</summary>
public class DataTypeMismatchException : AutoGlmException
{
    public DataTypeMismatchException(string message)
        : base(message)
    {
    }
}

/// <summary>No provider can run an op (unknown op, domain, opset or dtype combination).</summary>
public class UnsupportedOperatorException : AutoGlmException
{
    public UnsupportedOperatorException(string message)
        : base(message)
    {
    }
}

/// <summary>A caller's input to a session is wrong: unknown name, missing input, dtype, rank or shape mismatch.</summary>
public class InvalidInputException : AutoGlmException
{
    public InvalidInputException(string message)
        : base(message)
    {
    }
}

/// <summary>A tensor shape that no buffer can have: a negative dimension or more elements than one buffer holds.</summary>
public class InvalidShapeException : AutoGlmException
{
    public InvalidShapeException(string message)
        : base(message)
    {
    }
}

/// <summary>A node failed while it ran (invalid attribute, out-of-range index, incompatible shapes).</summary>
public class OpExecutionException : AutoGlmException
{
    public OpExecutionException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
