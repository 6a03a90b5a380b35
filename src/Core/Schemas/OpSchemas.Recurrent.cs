namespace OpenAutoGlm.Core;

public static partial class OpSchemas
{
    private static void RegisterRecurrent(Registrar add)
    {
        add("LSTM", RecurrentSchema.InferLstm);
        add("GRU", RecurrentSchema.InferGru);
        add("RNN", RecurrentSchema.InferRnn);
    }
}
