using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.ControlFlow;

/// <summary>If: outputs = cond ? then_branch() : else_branch() (https://onnx.ai/onnx/operators/onnx__If.html).</summary>
internal sealed class If : IKernel
{
    private readonly Graph _then;
    private readonly Graph _else;

    public If(KernelCreationContext context)
    {
        _then = context.Attributes.GetRequiredGraph("then_branch");
        _else = context.Attributes.GetRequiredGraph("else_branch");
        if (_then.Outputs.Count != context.Node.Outputs.Count || _else.Outputs.Count != context.Node.Outputs.Count)
        {
            throw context.Error($"the node has {context.Node.Outputs.Count} outputs but then_branch has {_then.Outputs.Count} and else_branch {_else.Outputs.Count}");
        }
    }

    public void Compute(KernelContext context)
    {
        var cond = context.Input(0);
        if (cond.Length != 1)
        {
            throw context.Error($"cond must hold exactly one element, got shape {cond.ShapeString}");
        }

        bool take = cond.DataType == DataType.Bool ? cond.AsSpan<bool>()[0] : cond.ToDoubleArray()[0] != 0;
        var runner = context.Subgraphs ?? throw context.Error("no subgraph runner is available to run the branch");
        var outputs = runner.Run(take ? _then : _else, []);
        for (int i = 0; i < outputs.Count; i++)
        {
            context.SetOutput(i, outputs[i]);
        }
    }
}
