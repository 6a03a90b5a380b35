using System.Runtime.InteropServices;
using OpenAutoGlm.Backends.Cpu;
using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Runtime.Tests;

public sealed class NativeMemoryTests
{
    [Fact]
    public void TensorBorrowsNativeMemoryWithoutCopying()
    {
        IntPtr p = Marshal.AllocHGlobal(6 * sizeof(float));
        try
        {
            var t = NativeTensor.Create<float>(p, 2, 3);
            t.Span.Fill(-1);
            t.Span[5] = 4;
            Assert.Equal(4f, Marshal.PtrToStructure<float>(p + (5 * sizeof(float))));

            var model = new ModelBuilder().Input("x", DataType.Float32, 2, 3).Node("Relu", ["x"], ["y"]).Output("y").Build();
            var session = InferenceSession.Create(model, new SessionOptions { Providers = [new CpuExecutionProvider()] });
            var y = (Tensor)session.Run(new Dictionary<string, DataValue> { ["x"] = t })["y"];
            Assert.Equal(new double[] { 0, 0, 0, 0, 0, 4 }, y.ToDoubleArray());
        }
        finally
        {
            Marshal.FreeHGlobal(p);
        }
    }
}
