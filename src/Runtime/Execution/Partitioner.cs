using OpenAutoGlm.Core;

namespace OpenAutoGlm.Runtime;

/// <summary>A node that did not go to the preferred provider, and why.</summary>
public sealed record FallbackRecord(string NodeName, string OpType, string AssignedProvider, string Reason);

/// <summary>Where every node went.</summary>
public sealed class PartitionReport
{
    public Dictionary<string, int> NodesPerProvider { get; } = new(StringComparer.Ordinal);

    public List<FallbackRecord> Fallbacks { get; } = [];
}

/// <summary>
/// Assigns each node to the first provider (in priority order) that claims it. A node no provider claims
/// raises <see cref="UnsupportedOperatorException"/> naming the node, op, domain and opset and every
/// provider's reason; with strict fallback any node the first provider refuses is an error.
/// </summary>
public static class Partitioner
{
    public static PartitionReport Assign(
        Model model,
        Graph graph,
        IReadOnlyList<IExecutionProvider> providers,
        Func<string, TypeInfo?> typeOf,
        bool strict,
        PartitionReport? report = null)
    {
        if (providers.Count == 0)
        {
            throw new ArgumentException("at least one execution provider is required", nameof(providers));
        }

        report ??= new PartitionReport();
        foreach (var node in graph.Nodes)
        {
            long opset = model.OpsetFor(node.Domain);
            var query = new NodeQuery(
                node,
                opset,
                node.Inputs.Select(i => i.Length == 0 ? null : typeOf(i)).ToList(),
                node.Outputs.Select(o => o.Length == 0 ? null : typeOf(o)).ToList());
            var reasons = new List<string>();
            IExecutionProvider? chosen = null;
            foreach (var p in providers)
            {
                var s = p.CanRun(query);
                if (s.IsSupported)
                {
                    chosen = p;
                    break;
                }

                reasons.Add($"{p.Name}: {s.Reason}");
            }

            string domain = node.Domain.Length == 0 ? "ai.onnx" : node.Domain;
            if (chosen is null)
            {
                throw new UnsupportedOperatorException($"{node.Describe()} (domain {domain}, opset {opset}) cannot run: {string.Join("; ", reasons)}");
            }

            if (chosen != providers[0])
            {
                if (strict)
                {
                    throw new UnsupportedOperatorException($"{node.Describe()} would fall back from {providers[0].Name} to {chosen.Name} (strict mode): {string.Join("; ", reasons)}");
                }

                report.Fallbacks.Add(new FallbackRecord(node.Name, node.OpType, chosen.Name, string.Join("; ", reasons)));
            }

            node.ExecutionProvider = chosen.Name;
            report.NodesPerProvider[chosen.Name] = report.NodesPerProvider.GetValueOrDefault(chosen.Name) + 1;

            foreach (var sub in node.Subgraphs())
            {
                Assign(model, sub, providers, typeOf, strict, report);
            }
        }

        return report;
    }
}
