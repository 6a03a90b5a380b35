using OpenAutoGlm.Core;

namespace OpenAutoGlm.Optimizer.Passes;

/// <summary>
/// Conv followed by Mul or Add with a constant that varies only along the output channels (shape like
/// [M,1,1], [1,M,1,1] or a scalar) folds into the Conv: Mul by c gives W'[m] = W[m]·c[m], B'[m] = B[m]·c[m];
/// Add of d gives B'[m] = B[m] + d[m]. The Conv then produces the Mul's or Add's output.
/// </summary>
public sealed class FoldConvMulAdd : NodeRewritePass
{
    public override string Name => "fold-conv-mul-add";

    protected override bool TryRewrite(GraphEditor editor, Node node)
    {
        if (node.Domain.Length != 0 || node.OpType is not ("Mul" or "Add") || node.Inputs.Count != 2 || node.Outputs.Count != 1)
        {
            return false;
        }

        for (int side = 0; side < 2; side++)
        {
            if (editor.Producer(node.Inputs[side]) is { OpType: "Conv" } conv && editor.Constant(node.Inputs[1 - side]) is { } c)
            {
                return TryFold(editor, node, conv, c);
            }
        }

        return false;
    }

    private static bool TryFold(GraphEditor editor, Node node, Node conv, Tensor constant)
    {
        if (editor.Constant(conv.InputOrEmpty(1)) is not { Rank: >= 3 } w)
        {
            return false;
        }

        int channels = w.Dims[0];
        if (!ConvWeights.TryGet(editor, conv, channels, out var weights, out var bias) || constant.DataType != weights.DataType
            || !editor.HasSingleUse(conv.Outputs[0])
            || ConstantMath.PerChannel(constant, weights.Rank, channelAxis: 1, channels) is not { } c)
        {
            return false;
        }

        var b = bias?.ToDoubleArray() ?? new double[channels];
        Tensor? newWeights = null;
        for (int m = 0; m < channels; m++)
        {
            b[m] = node.OpType == "Mul" ? b[m] * c[m] : b[m] + c[m];
        }

        if (node.OpType == "Mul")
        {
            newWeights = ConstantMath.ScaleAlongAxis0(weights, c);
        }

        ConvWeights.Replace(editor, conv, newWeights, ConstantMath.Create(weights.DataType, b, [channels]));
        editor.RemoveNode(node);
        conv.Outputs[0] = node.Outputs[0];
        editor.Invalidate();
        return true;
    }
}
