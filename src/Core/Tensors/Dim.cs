namespace OpenAutoGlm.Core;

/// <summary>One dimension of a <see cref="Shape"/>: a known size, a named symbol ("batch"), or unknown.</summary>
public readonly record struct Dim
{
    private Dim(long? value, string? symbol)
    {
        Value = value;
        Symbol = symbol;
    }

    /// <summary>The size when it is known.</summary>
    public long? Value { get; }

    /// <summary>The symbolic name (ONNX <c>dim_param</c>) when the size is not known.</summary>
    public string? Symbol { get; }

    public bool IsKnown => Value.HasValue;

    public static Dim Unknown => default;

    public static Dim Known(long value) => new(value, null);

    public static Dim Symbolic(string symbol) => string.IsNullOrEmpty(symbol) ? default : new(null, symbol);

    public static implicit operator Dim(long value) => Known(value);

    public static implicit operator Dim(int value) => Known(value);

    public override string ToString() => Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Symbol ?? "?";
}
