using System.Runtime.Intrinsics.X86;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu;

/// <summary>The managed CPU provider: implements every op, so any graph runs.</summary>
public sealed class CpuExecutionProvider : IExecutionProvider
{
    public CpuExecutionProvider()
    {
        KernelStatics.EnsureInitialized();
        var features = new List<string>();
        if (Avx2.IsSupported)
        {
            features.Add("AVX2");
        }

        if (Fma.IsSupported)
        {
            features.Add("FMA");
        }

        if (Avx512F.IsSupported)
        {
            features.Add("AVX512F");
        }

        if (System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported)
        {
            features.Add("NEON");
        }

        Device = new DeviceDescriptor(
            $"CPU ({System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture})",
            DeviceKind.Cpu,
            GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
            Environment.ProcessorCount,
            [DataType.Float32, DataType.Float64, DataType.Float16, DataType.BFloat16, DataType.Int8, DataType.UInt8, DataType.Int16, DataType.UInt16, DataType.Int32, DataType.UInt32, DataType.Int64, DataType.UInt64, DataType.Bool, DataType.String])
        {
            Features = features,
        };
    }

    public string Name => "cpu";

    public DeviceDescriptor Device { get; }

    public IAllocator Allocator => ManagedAllocator.Instance;

    public IDataTransfer DataTransfer { get; } = new HostDataTransfer();

    /// <summary>The registry of every CPU kernel.</summary>
    public static KernelRegistry Registry { get; } = CpuKernels.Create();

    public NodeSupport CanRun(NodeQuery query)
    {
        var (kernel, reason) = Registry.Find(query);
        return kernel is null ? NodeSupport.No(reason ?? "unsupported") : NodeSupport.Yes;
    }

    public IKernel CreateKernel(KernelCreationContext context)
    {
        var query = new NodeQuery(context.Node, context.Opset, context.InputTypes, []);
        var (kernel, reason) = Registry.Find(query);
        if (kernel is null)
        {
            throw new UnsupportedOperatorException($"{context.Node.Describe()}: {reason}");
        }

        return kernel.Factory(context);
    }

    private sealed class HostDataTransfer : IDataTransfer
    {
        public bool CanCopy(DeviceKind source, DeviceKind destination) => source == DeviceKind.Cpu && destination == DeviceKind.Cpu;

        public void Copy(Tensor source, Tensor destination)
        {
            if (source is StringTensor s && destination is StringTensor d)
            {
                s.Data.CopyTo(d.Data, 0);
                return;
            }

            source.AsBytes().CopyTo(destination.AsBytes());
        }
    }
}
