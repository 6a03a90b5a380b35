using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu;

/// <summary>
/// Every CPU kernel, one registration line each, grouped by family in <c>CpuKernels.&lt;Family&gt;.cs</c>.
/// </summary>
internal static partial class CpuKernels
{
    public static KernelRegistry Create()
    {
        var r = new KernelRegistry();
        RegisterElementwise(r);
        RegisterTransform(r);
        RegisterNn(r);
        RegisterReduction(r);
        RegisterGenerator(r);
        RegisterControlFlow(r);
        RegisterSequence(r);
        RegisterQuantization(r);
        RegisterImage(r);
        RegisterRecurrent(r);
        RegisterSignal(r);
        RegisterLoss(r);
        RegisterMisc(r);
        RegisterAutoGlm(r);
        return r;
    }
}
