using System.Text.Json.Serialization;
using OpenAutoGlm.Cli.Inspect;

namespace OpenAutoGlm.Cli.Json;

/// <summary>Source-generated (trimming- and AOT-safe) JSON metadata for every document the CLI prints.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    Converters = [typeof(DimJsonConverter)])]
[JsonSerializable(typeof(InspectReport))]
internal sealed partial class CliJsonContext : JsonSerializerContext
{
}
