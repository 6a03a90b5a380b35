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
    private readonly int[] _strides;
    private readonly int[] _dilations;
    private readonly int[] _padsBegin;
    private readonly int _group;

    private IntegerConv(int[] strides, int[] dilations, int[] padsBegin, int group, int[] xDims, int[] wDims, int[] yDims)
    {
        _strides = strides;
        _dilations = dilations;
        _padsBegin = padsBegin;
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

        int spatialRank = x.Rank - 2;
        var geometry = ConvGeometry.Parse(context.Node);
        if (geometry.Validate(spatialRank, kernelRequired: false) is { } error)
        {
            throw context.Error(error);
        }

        if (geometry.KernelShape is { } ks && !ks.SequenceEqual(w.DimsArray().Skip(2).Select(d => (long)d)))
        {
            throw context.Error($"kernel_shape [{string.Join(",", ks)}] does not match weight shape {w.ShapeString}");
        }

        var strides = new int[spatialRank];
        var dilations = new int[spatialRank];
        var padsBegin = new int[spatialRank];
        var output = new int[spatialRank];
        for (int d = 0; d < spatialRank; d++)
        {
            var (size, padBegin, _) = geometry.Forward(d, spatialRank, x.Dims[d + 2], w.Dims[d + 2]);
            if (size < 0)
            {
                throw context.Error($"spatial dimension {d} of input {x.ShapeString} is too small for kernel {w.ShapeString}");
            }

            strides[d] = (int)geometry.Stride(d);
            dilations[d] = (int)geometry.Dilation(d);
            padsBegin[d] = (int)padBegin;
            output[d] = (int)size;
        }

        int[] yDims = [x.Dims[0], m, .. output];
        return new IntegerConv(strides, dilations, padsBegin, (int)group, x.DimsArray(), w.DimsArray(), yDims);
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
                    int pos = (o[d] * _strides[d]) - _padsBegin[d] + (k[d] * _dilations[d]);
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
