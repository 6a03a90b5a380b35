using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Transform;

/// <summary>
/// DepthToSpace: [N, C, H, W] -> [N, C/b², H·b, W·b]; DCR reads x as [N, b, b, C/b², H, W] and CRD as
/// [N, C/b², b, b, H, W], then moves the block dims next to H and W (https://onnx.ai/onnx/operators/onnx__DepthToSpace.html).
/// </summary>
internal sealed class DepthToSpace : IKernel
{
    private readonly int _blockSize;
    private readonly bool _crd;

    public DepthToSpace(KernelCreationContext ctx)
    {
        long b = ctx.Attributes.GetInt("blocksize");
        _blockSize = b is > 0 and <= int.MaxValue ? (int)b : throw ctx.Error($"blocksize must be positive, got {b}");
        string mode = ctx.Opset >= 11 ? ctx.Attributes.GetString("mode", "DCR") : "DCR";
        _crd = mode switch
        {
            "DCR" => false,
            "CRD" => true,
            _ => throw ctx.Error($"mode '{mode}' is not supported (DCR, CRD)"),
        };
    }

    public void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        int b = _blockSize;
        if (x.Rank != 4 || x.Dims[1] % (b * b) != 0)
        {
            throw ctx.Error($"input must be [N, C, H, W] with C divisible by blocksize² = {b * b}, got {x.ShapeString}");
        }

        int n = x.Dims[0], c = x.Dims[1] / (b * b), h = x.Dims[2], w = x.Dims[3];
        var y = ctx.Output(0, x.DataType, [n, c, h * b, w * b]);
        if (_crd)
        {
            StridedCopy.RunPermuted(x, [n, c, b, b, h, w], [0, 1, 4, 2, 5, 3], y);
        }
        else
        {
            StridedCopy.RunPermuted(x, [n, b, b, c, h, w], [0, 3, 4, 1, 5, 2], y);
        }
    }
}
