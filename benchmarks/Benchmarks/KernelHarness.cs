using OpenAutoGlm.Backends.Cpu;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Benchmarks;

/// <summary>
/// Runs one node through the CPU provider's public kernel contract (create once, compute per call), the path
/// the executor takes, so these benchmarks survive kernel rewrites. Inputs named in <c>constants</c> are
/// passed as constant initializers (kernels may pre-pack them at creation).
/// </summary>
internal sealed class KernelHarness
{
    private static readonly CpuExecutionProvider s_provider = new();
    private readonly Node _node;
    private readonly long _opset;
    private readonly IKernel _kernel;
    private readonly DataValue?[] _inputs;
    private readonly bool[] _requested;

    public KernelHarness(Node node, long opset, Tensor[] inputs, bool[] constant)
    {
        _node = node;
        _opset = opset;
        _inputs = inputs;
        _requested = node.Outputs.Select(o => o.Length > 0).ToArray();
        var types = inputs.Select(t => (TypeInfo?)new TensorTypeInfo(t.DataType, Shape.FromKnown(t.Dims))).ToList();
        var constants = inputs.Select((t, i) => constant[i] ? t : null).ToList();
        _kernel = s_provider.CreateKernel(new KernelCreationContext(node, opset, types, constants));
    }

    /// <summary>Computes the node once (its outputs are allocated per call, as in the executor today).</summary>
    /// <remarks>Kernels may use <see cref="Environment.ProcessorCount"/> threads, as a session with default options does.</remarks>
    public void Run() => _kernel.Compute(new KernelContext(_node, _opset, _inputs, _requested, s_provider.Allocator, null) { IntraOpThreads = Environment.ProcessorCount });

    public static Tensor<float> Random(int seed, params int[] dims)
    {
        var t = new Tensor<float>(dims);
        var rng = new Random(seed);
        var span = t.Span;
        for (int i = 0; i < span.Length; i++)
        {
            span[i] = (float)((rng.NextDouble() * 2) - 1);
        }

        return t;
    }
}
