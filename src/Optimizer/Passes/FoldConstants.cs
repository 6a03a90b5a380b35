using OpenAutoGlm.Core;

namespace OpenAutoGlm.Optimizer.Passes;

/// <summary>
/// Constant folding: a node whose inputs are all constants (initializers that are not graph inputs), or a
/// Constant node, is evaluated once through <see cref="PassContext.Evaluator"/> and replaced by initializers
/// named like its outputs. Never folds random ops, nodes with subgraphs, nodes producing a graph output,
/// results larger than <see cref="PassContext.FoldingSizeCapBytes"/>, or DequantizeLinear (a quantized weight
/// stays quantized so providers can fuse the QDQ group into an integer kernel).
/// </summary>
public sealed class FoldConstants : NodeRewritePass
{
    public override string Name => "fold-constants";

    protected override bool TryRewrite(GraphEditor editor, Node node)
    {
        if (editor.Context.Evaluator is not { } evaluator || IsNondeterministic(node) || node.Subgraphs().Any()
            || (node.Domain.Length == 0 && node.OpType == "DequantizeLinear"))
        {
            return false;
        }

        if (node.Inputs.Count == 0 ? node.OpType != "Constant" || node.Domain.Length != 0 : !node.Inputs.Any(i => i.Length > 0))
        {
            return false;
        }

        if (node.Outputs.Any(o => o.Length > 0 && editor.IsGraphOutput(o)))
        {
            return false;
        }

        var inputs = new Tensor?[node.Inputs.Count];
        for (int i = 0; i < inputs.Length; i++)
        {
            if (node.Inputs[i].Length == 0)
            {
                continue;
            }

            if (editor.Constant(node.Inputs[i]) is not { } c)
            {
                return false;
            }

            inputs[i] = c;
        }

        var outputs = evaluator.TryEvaluate(node, inputs, (int)editor.Opset(node));
        if (outputs is null || outputs.Count < node.Outputs.Count)
        {
            return false;
        }

        long bytes = 0;
        for (int i = 0; i < node.Outputs.Count; i++)
        {
            if (node.Outputs[i].Length == 0)
            {
                continue;
            }

            if (outputs[i] is not { } t)
            {
                return false;
            }

            bytes += t.DataType == DataType.String ? t.Length * 16L : (long)t.Length * t.DataType.SizeOf();
        }

        if (bytes > editor.Context.FoldingSizeCapBytes)
        {
            return false;
        }

        editor.RemoveNode(node);
        for (int i = 0; i < node.Outputs.Count; i++)
        {
            if (node.Outputs[i].Length > 0)
            {
                editor.Graph.Initializers[node.Outputs[i]] = outputs[i]!;
            }
        }

        return true;
    }
}
