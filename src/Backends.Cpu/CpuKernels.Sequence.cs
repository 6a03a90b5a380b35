using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu;

internal static partial class CpuKernels
{
    private static void RegisterSequence(KernelRegistry r)
    {
        r.Add("SequenceEmpty", c => new Kernels.Sequence.SequenceEmpty(c));
        r.Add("SequenceConstruct", _ => new Kernels.Sequence.SequenceConstruct());
        r.Add("SequenceInsert", _ => new Kernels.Sequence.SequenceInsert());
        r.Add("SequenceAt", _ => new Kernels.Sequence.SequenceAt());
        r.Add("SequenceErase", _ => new Kernels.Sequence.SequenceErase());
        r.Add("SequenceLength", _ => new Kernels.Sequence.SequenceLength());
        r.Add("SplitToSequence", c => new Kernels.Sequence.SplitToSequence(c));
        r.Add("ConcatFromSequence", c => new Kernels.Sequence.ConcatFromSequence(c));
        r.Add("SequenceMap", c => new Kernels.Sequence.SequenceMap(c));
        r.Add("Optional", c => new Kernels.Sequence.Optional(c));
        r.Add("OptionalHasElement", _ => new Kernels.Sequence.OptionalHasElement());
        r.Add("OptionalGetElement", _ => new Kernels.Sequence.OptionalGetElement());
    }
}
