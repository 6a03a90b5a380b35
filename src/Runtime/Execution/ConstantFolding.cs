using OpenAutoGlm.Core;

namespace OpenAutoGlm.Runtime;

/// <summary>Builds a <see cref="ConstantEvaluator"/> that runs constant nodes on a host-memory provider's kernels.</summary>
public static class ConstantFolding
{
    public static ConstantEvaluator? CreateEvaluator(IReadOnlyList<IExecutionProvider> providers)
    {
        var host = providers.FirstOrDefault(p => p.Device.Kind == DeviceKind.Cpu);
        if (host is null)
        {
            return null;
        }

        return (node, opset, inputs) =>
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
        };
    }
}
