using OpenAutoGlm.Core;

namespace OpenAutoGlm.Runtime;

/// <summary>
/// One registration: a kernel for (domain, op) valid for opsets [SinceVersion, EndVersion], accepting the
/// listed element types for input <see cref="TypeInput"/> (null = any type the kernel checks itself).
/// </summary>
public sealed record KernelDefinition(
    string Domain,
    string OpType,
    int SinceVersion,
    int EndVersion,
    IReadOnlySet<DataType>? Types,
    Func<KernelCreationContext, IKernel> Factory)
{
    public int TypeInput { get; init; }

    /// <summary>Extra capability check over attributes/shapes; returns null when supported or the reason when not.</summary>
    public Func<NodeQuery, string?>? Constraint { get; init; }
}

/// <summary>Kernels of one provider keyed by (domain, op, opset range, type constraints).</summary>
public sealed class KernelRegistry
{
    private readonly Dictionary<(string Domain, string OpType), List<KernelDefinition>> _kernels = [];

    public IEnumerable<KernelDefinition> All => _kernels.Values.SelectMany(v => v);

    public IEnumerable<(string Domain, string OpType)> Ops => _kernels.Keys;

    /// <summary>Registers <paramref name="factory"/> for every opset from <paramref name="since"/> to <paramref name="end"/>.</summary>
    public KernelRegistry Add(string opType, Func<KernelCreationContext, IKernel> factory, int since = 1, int end = int.MaxValue, DataType[]? types = null, string domain = "")
    {
        return Add(new KernelDefinition(Node.NormalizeDomain(domain), opType, since, end, types?.ToHashSet(), factory));
    }

    public KernelRegistry Add(KernelDefinition definition)
    {
        var key = (definition.Domain, definition.OpType);
        if (!_kernels.TryGetValue(key, out var list))
        {
            _kernels[key] = list = [];
        }

        list.Add(definition);
        return this;
    }

    public bool Contains(string domain, string opType) => _kernels.ContainsKey((Node.NormalizeDomain(domain), opType));

    /// <summary>Finds the kernel for a query, or explains why none fits.</summary>
    public (KernelDefinition? Kernel, string? Reason) Find(NodeQuery query)
    {
        var node = query.Node;
        if (!_kernels.TryGetValue((node.Domain, node.OpType), out var list))
        {
            string domain = node.Domain.Length == 0 ? "ai.onnx" : node.Domain;
            return (null, $"no kernel for op {node.OpType} in domain {domain}");
        }

        string? reason = null;
        foreach (var def in list)
        {
            if (query.Opset < def.SinceVersion || query.Opset > def.EndVersion)
            {
                reason ??= $"{node.OpType} kernels cover opsets {string.Join(", ", list.Select(d => d.EndVersion == int.MaxValue ? $"{d.SinceVersion}+" : $"{d.SinceVersion}-{d.EndVersion}"))}, model uses {query.Opset}";
                continue;
            }

            if (def.Types is not null)
            {
                var t = query.InputElementType(def.TypeInput);
                if (t != DataType.Undefined && !def.Types.Contains(t))
                {
                    reason = $"{node.OpType} has no kernel for element type {t.Name()} (input {def.TypeInput})";
                    continue;
                }
            }

            if (def.Constraint?.Invoke(query) is { } why)
            {
                reason = why;
                continue;
            }

            return (def, null);
        }

        return (null, reason);
    }
}
