using System.Runtime.CompilerServices;
using OpenAutoGlm.Backends.Cpu.Kernels.Nchwc;

namespace OpenAutoGlm.Backends.Cpu.Tests;

/// <summary>
/// The NCHWc kernels' reference tests run on every machine: where 512-bit vectors are not accelerated the CPU provider
/// would not claim NchwcConv (the optimizer keeps NCHW there), but the kernels are still correct with emulated vectors,
/// so this test assembly claims them anyway (AUTOGLM_NCHWC=0 still switches them off).
/// </summary>
internal static class NchwcEverywhere
{
    [ModuleInitializer]
    internal static void ClaimNchwcOps()
    {
        if (Environment.GetEnvironmentVariable("AUTOGLM_NCHWC") != "0")
        {
            NchwcLayout.Enabled = true;
        }
    }
}
