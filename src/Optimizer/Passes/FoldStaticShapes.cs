using OpenAutoGlm.Core;

namespace OpenAutoGlm.Optimizer.Passes;

/// <summary>
/// Static shape arithmetic: Shape and Size of a value whose shape is statically known become constants,
/// computed by the ops' own shape inference (<see cref="OpSchemas"/>), so Shape→Gather→Concat→Reshape chains
/// then fold away in <see cref="FoldConstants"/>. Needs the graph's value types (shape inference runs first).
/// </summary>
public sealed class FoldStaticShapes : NodeRewritePass
{
    public override string Name => "fold-static-shapes";

    protected override bool TryRewrite(GraphEditor editor, Node node)
    {
        if (node.Domain.Length != 0 || node.OpType is not ("Shape" or "Size") || !node.HasInput(0) || node.Outputs.Count != 1)
        {
            return false;
        }

        string output = node.Outputs[0];
        if (output.Length == 0 || editor.IsGraphOutput(output) || !OpSchemas.TryGet(node.Domain, node.OpType, out var infer))
        {
            return false;
        }

        var type = editor.TypeOf(node.Inputs[0]);
        if (type?.Shape is not { IsFullyKnown: true })
        {
            return false;
        }

        var ctx = new ShapeInferenceContext(node, editor.Opset(node), [type], [null]);
        infer(ctx);
        if (ctx.OutputConstants[0] is not { } value)
        {
            return false;
        }

        editor.RemoveNode(node);
        editor.Graph.Initializers[output] = value;
        return true;
    }
}
