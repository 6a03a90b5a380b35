using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Quantization;

/// <summary>
/// Naive N-D grouped convolution over int32 operands (the reference loop of ConvInteger and QLinearConv):
/// y[n, m, o...] = sum over c in m's group and kernel offsets k... of x[n, c, o * stride - pad_begin + k * dilation]
/// * w[m, c - group_start, k...], with x treated as zero outside its bounds.
/// </summary>
internal sealed class IntegerConv
{
    private readonly ConvGeometry _geometry;
    private readonly int _group;

    private IntegerConv(ConvGeometry geometry, int group, int[] xDims, int[] wDims, int[] yDims)
    {
        _geometry = geometry;
        _group = group;
        XDims = xDims;
        WDims = wDims;
        YDims = yDims;
    }

    public int[] XDims { get; }

    public int[] WDims { get; }

    public int[] YDims { get; }

    /// <summary>Number of output channels M.</summary>
    public int OutputChannels => WDims[0];

    /// <summary>Output elements per (batch, channel).</summary>
    public int OutputSpatialSize => AxisOps.Product(YDims.AsSpan(2));

    public static IntegerConv Plan(KernelContext context, Tensor x, Tensor w, long group)
    {
        if (x.Rank < 3 || w.Rank != x.Rank)
        {
            throw context.Error($"x must be [N, C, spatial...] and w [M, C/group, kernel...] of the same rank, got {x.ShapeString} and {w.ShapeString}");
        }

        int channels = x.Dims[1];
        int m = w.Dims[0];
        if (group < 1 || channels % group != 0 || m % group != 0 || w.Dims[1] * group != channels)
        {
            throw context.Error($"group {group} does not fit input channels {channels} (x {x.ShapeString}) and weight {w.ShapeString}");
        }

        var spatial = x.DimsArray().Skip(2).Select(d => (long?)d).ToList();
        var kernel = w.DimsArray().Skip(2).Select(d => (long?)d).ToList();
        var geometry = ConvGeometry.Resolve(context.Attributes, spatial, kernel, msg => context.Error(msg));
        if (!geometry.Kernel.SequenceEqual(w.DimsArray().Skip(2)))
        {
            throw context.Error($"kernel_shape [{string.Join(",", geometry.Kernel)}] does not match weight shape {w.ShapeString}");
        }

        int[] yDims = [x.Dims[0], m, .. geometry.Output.Select(o => (int)o!.Value)];
        return new IntegerConv(geometry, (int)group, x.DimsArray(), w.DimsArray(), yDims);
    }

    public int[] Run(int[] x, int[] w)
    {
        int spatialRank = XDims.Length - 2;
        int[] inSpatial = XDims[2..];
        int[] outSpatial = YDims[2..];
        int[] kernel = WDims[2..];
        int inSize = AxisOps.Product(inSpatial);
        int outSize = AxisOps.Product(outSpatial);
        int kernelSize = AxisOps.Product(kernel);
        int batch = XDims[0];
        int channels = XDims[1];
        int m = WDims[0];
        int cPerGroup = channels / _group;
        int mPerGroup = m / _group;
        var y = new int[batch * m * outSize];

        // Input offset (within one channel plane) of every (output position, kernel position) pair; -1 = padding.
        var offsets = new int[outSize * kernelSize];
        var o = new int[spatialRank];
        var k = new int[spatialRank];
        for (int op = 0; op < outSize; op++)
        {
            Decode(op, outSpatial, o);
            for (int kp = 0; kp < kernelSize; kp++)
            {
                Decode(kp, kernel, k);
                int offset = 0;
                for (int d = 0; d < spatialRank && offset >= 0; d++)
                {
                    int pos = (o[d] * _geometry.Strides[d]) - _geometry.PadsBegin[d] + (k[d] * _geometry.Dilations[d]);
                    offset = pos < 0 || pos >= inSpatial[d] ? -1 : (offset * inSpatial[d]) + pos;
                }

                offsets[(op * kernelSize) + kp] = offset;
            }
        }

        for (int n = 0; n < batch; n++)
        {
            for (int oc = 0; oc < m; oc++)
            {
                int g = oc / mPerGroup;
                int yBase = ((n * m) + oc) * outSize;
                for (int c = 0; c < cPerGroup; c++)
                {
                    int xBase = ((n * channels) + (g * cPerGroup) + c) * inSize;
                    int wBase = ((oc * cPerGroup) + c) * kernelSize;
                    for (int op = 0; op < outSize; op++)
                    {
                        int acc = 0;
                        for (int kp = 0; kp < kernelSize; kp++)
                        {
                            int off = offsets[(op * kernelSize) + kp];
                            if (off >= 0)
                            {
                                acc = unchecked(acc + (x[xBase + off] * w[wBase + kp]));
                            }
                        }

                        y[yBase + op] = unchecked(y[yBase + op] + acc);
                    }
                }
            }
        }

        return y;
    }

    private static void Decode(int linear, int[] dims, int[] index)
    {
        for (int d = dims.Length - 1; d >= 0; d--)
        {
            index[d] = linear % dims[d];
            linear /= dims[d];
        }
    }
}
