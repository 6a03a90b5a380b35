using OpenAutoGlm.Core;

namespace OpenAutoGlm.Optimizer.Passes;

/// <summary>
/// Add(MatMul(A, B), C) with a 2-D A, a constant 2-D B [K, N] and a constant bias C of shape [N], [1, N] or a
/// scalar becomes Gemm(A, B, C) (alpha = beta = 1), producing the Add's output. The MatMul's result must be
/// read only by the Add.
/// </summary>
public sealed class FuseMatMulAddToGemm : NodeRewritePass
{
    public override string Name => "fuse-matmul-add-gemm";

    protected override bool TryRewrite(GraphEditor editor, Node node)
    {
        if (node.Domain.Length != 0 || node.OpType != "Add" || node.Inputs.Count != 2 || node.Outputs.Count != 1)
        {
            return false;
        }

        for (int side = 0; side < 2; side++)
        {
            if (editor.Producer(node.Inputs[side]) is { Domain.Length: 0, OpType: "MatMul" } mm && editor.Constant(node.Inputs[1 - side]) is { } c
                && TryFuse(editor, node, mm, node.Inputs[1 - side], c))
            {
                return true;
            }
        }

        return false;
    }

    private static bool TryFuse(GraphEditor editor, Node add, Node mm, string biasName, Tensor bias)
    {
        if (mm.Inputs.Count != 2 || mm.Outputs.Count != 1 || !editor.HasSingleUse(mm.Outputs[0])
            || editor.RankOf(mm.Inputs[0]) != 2
            || editor.Constant(mm.Inputs[1]) is not { Rank: 2 } b
            || b.DataType is not (DataType.Float32 or DataType.Float64 or DataType.Float16)
            || bias.DataType != b.DataType
            || editor.ElementTypeOf(mm.Inputs[0]) != b.DataType)
        {
            return false;
        }

        int n = b.Dims[1];
        bool biasFits = bias.Rank switch
        {
            0 => true,
            1 => bias.Dims[0] == n || bias.Dims[0] == 1,
            2 => bias.Dims[0] == 1 && (bias.Dims[1] == n || bias.Dims[1] == 1),
            _ => false,
        };
        if (!biasFits)
        {
            return false;
        }

        var gemm = new Node("Gemm", [mm.Inputs[0], mm.Inputs[1], biasName], [add.Outputs[0]], mm.Name);
        if (!editor.CanRun(gemm))
        {
            return false;
        }

        editor.InsertBefore(mm, gemm);
        editor.RemoveNode(mm);
        editor.RemoveNode(add);
        return true;
    }
}
