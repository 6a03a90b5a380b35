using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Transform;

/// <summary>
/// SpaceToDepth: [N, C, H, W] -> [N, C·b², H/b, W/b]: x read as [N, C, H/b, b, W/b, b], block dims moved
/// in front of C (https://onnx.ai/onnx/operators/onnx__SpaceToDepth.html).
/// </summary>
internal sealed class SpaceToDepth : IKernel
{
    private readonly int _blockSize;

    public SpaceToDepth(KernelCreationContext ctx)
    {
        long b = ctx.Attributes.GetInt("blocksize");
        _blockSize = b is > 0 and <= int.MaxValue ? (int)b : throw ctx.Error($"blocksize must be positive, got {b}");
    }

    public void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        int b = _blockSize;
        if (x.Rank != 4 || x.Dims[2] % b != 0 || x.Dims[3] % b != 0)
        {
            throw ctx.Error($"input must be [N, C, H, W] with H and W divisible by blocksize {b}, got {x.ShapeString}");
        }

        int n = x.Dims[0], c = x.Dims[1], h = x.Dims[2] / b, w = x.Dims[3] / b;
        var y = ctx.Output(0, x.DataType, [n, c * b * b, h, w]);
        StridedCopy.RunPermuted(x, [n, c, h, b, w, b], [0, 3, 5, 1, 2, 4], y);
    }
}
