using System.Runtime.CompilerServices;
using OpenAutoGlm.Backends.Cpu.Kernels.AutoGlm;
using OpenAutoGlm.Backends.Cpu.Kernels.Nchwc;
using OpenAutoGlm.Backends.Cpu.Kernels.Nn;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Backends.Cpu.Threading;

namespace OpenAutoGlm.Backends.Cpu;

/// <summary>
/// Runs the static initializers of the kernel classes whose static state (benchmark switches, tables, the GEMM layout)
/// hot kernel methods read, once, when the first <see cref="CpuExecutionProvider"/> is made.
/// </summary>
/// <remarks>
/// A method the JIT compiles before the class of a static it reads is initialized carries a class-initialization
/// helper call, and across that call the JIT keeps the method's vector accumulators in stack slots: a load and a store
/// per accumulator and loop step. `autoglm` compiles every method fully on its first call (tiered compilation off), so
/// the first kernel to touch a class was compiled that way for the whole process: the first NCHWc micro-kernel
/// instantiation (the stem convolution, 1.5-1.6x slower; that kernel now takes its switch as a parameter) and, by the
/// same test, likely the packed GEMV (MobileNetV2's classifier 0.101 vs 0.085 ms in one pair of processes). Initialized classes'
/// statics are plain memory reads in compiled code. <c>KernelStaticsTests</c> checks that every kernel class with a
/// static initializer is listed.
/// </remarks>
internal static class KernelStatics
{
    private static int s_done;

    /// <summary>The kernel classes with static initializers (the test keeps the list complete).</summary>
    internal static Type[] Classes { get; } =
    [
        typeof(Simd.Gemm), typeof(GemmDriver), typeof(GemmSmallM), typeof(UnaryDriver), typeof(BroadcastDriver),
        typeof(NchwcConvDriver), typeof(NchwcDepthwise), typeof(NchwcPooling), typeof(NchwcWinograd), typeof(NchwcLayout), typeof(NchwcExpandDepthwiseDriver),
        typeof(ConvFloat), typeof(DepthwiseConv), typeof(MaxPoolVector), typeof(ConvTransposedGemm), typeof(ConvPlan),
        typeof(FastGelu), typeof(WorkerPool),
    ];

    public static void EnsureInitialized()
    {
        if (Interlocked.Exchange(ref s_done, 1) == 1)
        {
            return;
        }

        foreach (var type in Classes)
        {
            RuntimeHelpers.RunClassConstructor(type.TypeHandle);
        }
    }
}
