using OpenAutoGlm.Core;

namespace OpenAutoGlm.Optimizer.Passes;

/// <summary>
/// A standalone inference BatchNormalization (constant parameters, static input rank r ≥ 2) becomes
/// Mul(x, s) then Add(., t) with s and t shaped [C, 1, …, 1] (r − 2 ones) so they broadcast over axis 1.
/// Runs after the Conv/MatMul folds, which take the BNs they can.
/// </summary>
public sealed class DecomposeBatchNorm : NodeRewritePass
{
    public override string Name => "decompose-batchnorm";

    protected override bool TryRewrite(GraphEditor editor, Node node)
    {
        if (BatchNormConstants.TryGet(editor, node) is not { } bn || editor.RankOf(node.Inputs[0]) is not { } rank || rank < 2
            || editor.ElementTypeOf(node.Inputs[0]) != bn.ElementType)
        {
            return false;
        }

        var dims = new int[rank - 1];
        Array.Fill(dims, 1);
        dims[0] = bn.Channels;
        string scale = editor.AddInitializer(node.Name + "_scale", ConstantMath.Create(bn.ElementType, bn.Scale, dims));
        string shift = editor.AddInitializer(node.Name + "_shift", ConstantMath.Create(bn.ElementType, bn.Shift, dims));
        string scaled = editor.FreshName(node.Outputs[0] + "_scaled");
        editor.InsertBefore(node, new Node("Mul", [node.Inputs[0], scale], [scaled], node.Name + "_mul"));
        editor.InsertBefore(node, new Node("Add", [scaled, shift], [node.Outputs[0]], node.Name + "_add"));
        editor.RemoveNode(node);
        return true;
    }
}
