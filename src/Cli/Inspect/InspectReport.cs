using OpenAutoGlm.Core;

namespace OpenAutoGlm.Cli.Inspect;

/// <summary>
/// Everything <c>autoglm inspect</c> reports about a model; rendered as tables or serialized as one JSON
/// document (<see cref="Json.CliJsonContext"/>). Property names are part of the JSON contract.
/// </summary>
internal sealed record InspectReport(
    string Model,
    long IrVersion,
    string Producer,
    IReadOnlyList<OpsetReport> Opsets,
    IReadOnlyList<ValueReport> Inputs,
    IReadOnlyList<ValueReport> Outputs,
    int NodeCount,
    IReadOnlyDictionary<string, int> Ops,
    IReadOnlyList<UnsupportedOpReport> UnsupportedOps,
    ParameterReport Parameters,
    IReadOnlyList<IntermediateValueReport> Values,
    ShapeInferenceSummary ShapeInference);

internal sealed record OpsetReport(string Domain, long Version);

/// <summary>A graph input or output. <see cref="Shape"/> holds numbers, symbol names or null per dim; null when the rank is unknown.</summary>
internal sealed record ValueReport(string Name, string Kind, string? Dtype, Dim[]? Shape, string Type);

/// <summary>A value produced by a node, with its inferred type; <see cref="Graph"/> is null in the main graph.</summary>
internal sealed record IntermediateValueReport(string Name, string Kind, string? Dtype, Dim[]? Shape, string Type, string Op, string Node, string? Graph);

/// <summary>Nodes of one (op, domain, opset) that the provider refuses, with its reason.</summary>
internal sealed record UnsupportedOpReport(string Op, string Domain, long Opset, string Reason, IReadOnlyList<string> Nodes);

/// <summary>Initializer totals: elements and bytes over every graph, including subgraphs.</summary>
internal sealed record ParameterReport(long Count, long Bytes, int Initializers);

internal sealed record ShapeInferenceSummary(IReadOnlyList<string> Errors, IReadOnlyList<string> OpsWithoutInference);
