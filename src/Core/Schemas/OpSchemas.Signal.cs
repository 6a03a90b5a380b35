namespace OpenAutoGlm.Core;

public static partial class OpSchemas
{
    private static void RegisterSignal(Registrar add)
    {
        add("DFT", SignalSchemas.InferDft);
        add("STFT", SignalSchemas.InferStft);
        add("HannWindow", SignalSchemas.InferWindow);
        add("HammingWindow", SignalSchemas.InferWindow);
        add("BlackmanWindow", SignalSchemas.InferWindow);
        add("MelWeightMatrix", SignalSchemas.InferMelWeightMatrix);
    }
}
