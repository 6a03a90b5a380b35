using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu;

internal static partial class CpuKernels
{
    private static void RegisterTransform(KernelRegistry r)
    {
        r.Add("Identity", _ => new Kernels.Transform.Identity());
        r.Add("Reshape", c => new Kernels.Transform.Reshape(c));
        r.Add("Transpose", c => new Kernels.Transform.Transpose(c));
        r.Add("Concat", c => new Kernels.Transform.Concat(c));
        r.Add("Split", c => new Kernels.Transform.Split(c));
        r.Add("Slice", c => new Kernels.Transform.Slice(c));
        r.Add("Squeeze", c => new Kernels.Transform.Squeeze(c));
        r.Add("Unsqueeze", c => new Kernels.Transform.Unsqueeze(c));
        r.Add("Flatten", c => new Kernels.Transform.Flatten(c));
        r.Add("Expand", _ => new Kernels.Transform.Expand(), since: 8);
        r.Add("Shape", _ => new Kernels.Transform.Shape());
        r.Add("Size", _ => new Kernels.Transform.Size());
        r.Add("Tile", _ => new Kernels.Transform.Tile());
        r.Add("Pad", c => new Kernels.Transform.Pad(c));
        r.Add("Gather", c => new Kernels.Transform.Gather(c));
        r.Add("GatherElements", c => new Kernels.Transform.GatherElements(c), since: 11);
        r.Add("GatherND", c => new Kernels.Transform.GatherND(c), since: 11);
        r.Add("ScatterND", c => new Kernels.Transform.ScatterND(c), since: 11);
        r.Add("ScatterElements", c => new Kernels.Transform.ScatterElements(c), since: 11);
        r.Add("Scatter", c => new Kernels.Transform.ScatterElements(c), since: 9);
        r.Add("DepthToSpace", c => new Kernels.Transform.DepthToSpace(c));
        r.Add("SpaceToDepth", c => new Kernels.Transform.SpaceToDepth(c));
        r.Add("Compress", c => new Kernels.Transform.Compress(c), since: 9);
        r.Add("OneHot", c => new Kernels.Transform.OneHot(c), since: 9);
        r.Add("Trilu", c => new Kernels.Transform.Trilu(c), since: 14);
        r.Add("ReverseSequence", c => new Kernels.Transform.ReverseSequence(c), since: 10);
        r.Add("NonZero", _ => new Kernels.Transform.NonZero(), since: 9);
        r.Add("Unique", c => new Kernels.Transform.Unique(c), since: 11);
        r.Add("TopK", c => new Kernels.Transform.TopK(c));
        r.Add("CumSum", c => new Kernels.Transform.CumSum(c), since: 11);
    }
}
