namespace OpenAutoGlm.Core;

public static partial class OpSchemas
{
    private static void RegisterReduction(Registrar add)
    {
        add("ReduceSum", ReduceSchema.Infer);
        add("ReduceMean", ReduceSchema.Infer);
        add("ReduceMax", ReduceSchema.Infer);
        add("ReduceMin", ReduceSchema.Infer);
        add("ReduceProd", ReduceSchema.Infer);
        add("ReduceL1", ReduceSchema.Infer);
        add("ReduceL2", ReduceSchema.Infer);
        add("ReduceLogSum", ReduceSchema.Infer);
        add("ReduceLogSumExp", ReduceSchema.Infer);
        add("ReduceSumSquare", ReduceSchema.Infer);
        add("ArgMax", ReduceSchema.InferArgReduce);
        add("ArgMin", ReduceSchema.InferArgReduce);
    }
}
