using System.Text.Json;
using System.Text.Json.Serialization;
using OpenAutoGlm.Core;

namespace OpenAutoGlm.Cli.Json;

/// <summary>Writes a dimension as a number (known), a string (symbolic, e.g. "batch") or null (unknown).</summary>
internal sealed class DimJsonConverter : JsonConverter<Dim>
{
    public override Dim Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Number => Dim.Known(reader.GetInt64()),
        JsonTokenType.String => Dim.Symbolic(reader.GetString() ?? string.Empty),
        _ => Dim.Unknown,
    };

    public override void Write(Utf8JsonWriter writer, Dim value, JsonSerializerOptions options)
    {
        if (value.Value is long v)
        {
            writer.WriteNumberValue(v);
        }
        else if (value.Symbol is { } s)
        {
            writer.WriteStringValue(s);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
