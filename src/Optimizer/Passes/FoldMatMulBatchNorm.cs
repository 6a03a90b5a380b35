using OpenAutoGlm.Core;

namespace OpenAutoGlm.Optimizer.Passes;

/// <summary>
/// MatMul(A, W) or Gemm followed by an inference BatchNormalization over the last dim (a 2-D [M, N] result, so
/// BN's channel axis 1 is N) becomes one Gemm: with BN as y = x·s + t per column, W'[:, n] = W[:, n]·s[n] and
/// C' = beta·C·s + t (C = 0 for MatMul; Gemm's alpha and trans flags are kept, beta becomes 1).
/// </summary>
public sealed class FoldMatMulBatchNorm : NodeRewritePass
{
    public override string Name => "fold-matmul-batchnorm";

    protected override bool TryRewrite(GraphEditor editor, Node node)
    {
        if (BatchNormConstants.TryGet(editor, node) is not { } bn
            || editor.Producer(node.Inputs[0]) is not { Domain.Length: 0, OpType: "MatMul" or "Gemm" } mm
            || mm.Outputs.Count != 1 || !mm.HasInput(0) || !mm.HasInput(1)
            || !editor.HasSingleUse(mm.Outputs[0])
            || editor.RankOf(mm.Inputs[0]) != 2
            || editor.Constant(mm.Inputs[1]) is not { Rank: 2 } w || w.DataType != bn.ElementType)
        {
            return false;
        }

        bool gemm = mm.OpType == "Gemm";
        bool transB = gemm && mm.Attributes.GetInt("transB", 0) != 0;
        if (w.Dims[transB ? 0 : 1] != bn.Channels)
        {
            return false;
        }

        var bias = GemmBias(editor, mm, gemm, bn);
        if (bias is null)
        {
            return false;
        }

        var fused = new Node("Gemm", [mm.Inputs[0], mm.Inputs[1], mm.InputOrEmpty(2)], [node.Outputs[0]], mm.Name);
        if (gemm)
        {
            foreach (var a in mm.Attributes.Where(a => a.Name != "beta"))
            {
                fused.Attributes.Set(a);
            }
        }

        if (!editor.CanRun(fused))
        {
            return false;
        }

        var newW = transB ? ConstantMath.ScaleAlongAxis0(w, bn.Scale) : ConstantMath.ScaleColumns(w, bn.Scale);
        fused.Inputs[1] = editor.AddInitializer(mm.Inputs[1] + "_bn_folded", newW);
        fused.Inputs[2] = editor.AddInitializer(node.Name + "_bias", bias);

        editor.InsertBefore(mm, fused);
        editor.RemoveNode(mm);
        editor.RemoveNode(node);
        return true;
    }

    /// <summary>C' = beta·C·s + t, broadcast over the last dim ([N], or [rows, N] for a 2-D C); null when C is not constant or of another shape.</summary>
    private static Tensor? GemmBias(GraphEditor editor, Node mm, bool gemm, BatchNormConstants bn)
    {
        int n = bn.Channels;
        if (!gemm || !mm.HasInput(2))
        {
            return ConstantMath.Create(bn.ElementType, bn.Shift, [n]);
        }

        if (editor.Constant(mm.Inputs[2]) is not { } c || c.DataType != bn.ElementType || c.Rank > 2 || (c.Rank > 0 && c.Dims[^1] != n && c.Dims[^1] != 1))
        {
            return null;
        }

        double beta = mm.Attributes.GetFloat("beta", 1f);
        int rows = c.Rank == 2 ? c.Dims[0] : 1;
        int cols = c.Rank == 0 ? 1 : c.Dims[^1];
        var values = c.ToDoubleArray();
        var result = new double[rows * n];
        for (int r = 0; r < rows; r++)
        {
            for (int k = 0; k < n; k++)
            {
                double v = values[(r * cols) + (cols == 1 ? 0 : k)];
                result[(r * n) + k] = (beta * v * bn.Scale[k]) + bn.Shift[k];
            }
        }

        return ConstantMath.Create(bn.ElementType, result, c.Rank == 2 ? [rows, n] : [n]);
    }
}
