using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu;

internal static partial class CpuKernels
{
    private static readonly DataType[] s_signalFloats = [DataType.Float32, DataType.Float64, DataType.Float16, DataType.BFloat16];
    private static readonly DataType[] s_signalIntegers = [DataType.Int32, DataType.Int64];

    private static void RegisterSignal(KernelRegistry r)
    {
        r.Add("DFT", c => new Kernels.Signal.DFT(c), since: 17, types: s_signalFloats);
        r.Add("STFT", c => new Kernels.Signal.STFT(c), since: 17, types: s_signalFloats);
        r.Add("HannWindow", c => new Kernels.Signal.HannWindow(c), since: 17, types: s_signalIntegers);
        r.Add("HammingWindow", c => new Kernels.Signal.HammingWindow(c), since: 17, types: s_signalIntegers);
        r.Add("BlackmanWindow", c => new Kernels.Signal.BlackmanWindow(c), since: 17, types: s_signalIntegers);
        r.Add("MelWeightMatrix", c => new Kernels.Signal.MelWeightMatrix(c), since: 17, types: s_signalIntegers);
    }
}
