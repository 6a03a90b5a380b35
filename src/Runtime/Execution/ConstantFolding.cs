using OpenAutoGlm.Core;
using OpenAutoGlm.Optimizer;

namespace OpenAutoGlm.Runtime;

/// <summary>
/// Evaluates constant nodes on the kernels of a host-memory provider: for shape inference
/// (<see cref="CreateEvaluator"/>) and for the optimizer's constant folding (<see cref="ProviderConstantEvaluator"/>).
/// </summary>
public static class ConstantFolding
{
    public static ConstantEvaluator? CreateEvaluator(IReadOnlyList<IExecutionProvider> providers)
    {
        var host = HostProvider(providers);
        if (host is null)
        {
            return null;
        }

        return (node, opset, inputs) => Evaluate(host, node, opset, inputs);
    }

    /// <summary>The first provider whose memory is host memory (its kernels' results can be read directly).</summary>
    public static IExecutionProvider? HostProvider(IReadOnlyList<IExecutionProvider> providers) =>
        providers.FirstOrDefault(p => p.Device.Kind == DeviceKind.Cpu);

    /// <summary>
    /// The optimizer's view of the providers: a node is claimed when some provider's capability query accepts it
    /// with the input and output types known in its graph.
    /// </summary>
    public static Func<Node, bool> CreateCanRun(Model model, IReadOnlyList<IExecutionProvider> providers) => node =>
    {
        var graph = model.Graph;
        var query = new NodeQuery(
            node,
            model.OpsetFor(node.Domain),
            node.Inputs.Select(i => i.Length == 0 ? null : graph.TypeOf(i)).ToList(),
            node.Outputs.Select(o => o.Length == 0 ? null : graph.TypeOf(o)).ToList());
        return providers.Any(p => p.CanRun(query).IsSupported);
    };

    /// <summary>Runs one node on <paramref name="host"/>; null when the provider cannot run it.</summary>
    internal static Tensor?[]? Evaluate(IExecutionProvider host, Node node, long opset, IReadOnlyList<Tensor?> inputs)
    {
        var types = inputs.Select(t => t?.Type).ToList();
        var query = new NodeQuery(node, opset, types, node.Outputs.Select(_ => (TypeInfo?)null).ToList());
        if (!host.CanRun(query).IsSupported)
        {
            return null;
        }

        var kernel = host.CreateKernel(new KernelCreationContext(node, opset, types, inputs));
        var requested = node.Outputs.Select(o => o.Length > 0).ToArray();
        var ctx = new KernelContext(node, opset, inputs.Cast<DataValue?>().ToArray(), requested, host.Allocator, null);
        kernel.Compute(ctx);
        return ctx.Outputs.Select(v => v as Tensor).ToArray();
    }
}

/// <summary>
/// Constant folding's evaluator for the optimizer: runs the node on the session's host provider. Any failure
/// (no kernel, bad attributes, a kernel error) means "cannot fold", never an exception.
/// </summary>
public sealed class ProviderConstantEvaluator : IConstantEvaluator
{
    private readonly IExecutionProvider _host;

    public ProviderConstantEvaluator(IExecutionProvider host)
    {
        _host = host;
    }

    public static ProviderConstantEvaluator? For(IReadOnlyList<IExecutionProvider> providers) =>
        ConstantFolding.HostProvider(providers) is { } host ? new ProviderConstantEvaluator(host) : null;

    public IReadOnlyList<Tensor>? TryEvaluate(Node node, IReadOnlyList<Tensor?> inputs, int opset)
    {
        try
        {
            var outputs = ConstantFolding.Evaluate(_host, node, opset, inputs);
            return outputs is null || outputs.Where((_, i) => node.Outputs[i].Length > 0).Any(t => t is null) ? null : outputs.Select(t => t!).ToArray();
        }
        catch (Exception ex) when (ex is AutoGlmException or ArgumentException or InvalidOperationException or IndexOutOfRangeException or InvalidCastException or OverflowException or NotSupportedException)
        {
            return null;
        }
    }
}
