using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu;

internal static partial class CpuKernels
{
    private static void RegisterRecurrent(KernelRegistry r)
    {
        r.Add("LSTM", c => new Kernels.Recurrent.Lstm(c), types: s_floats);
        r.Add("GRU", c => new Kernels.Recurrent.Gru(c), types: s_floats);
        r.Add("RNN", c => new Kernels.Recurrent.Rnn(c), types: s_floats);
    }
}
