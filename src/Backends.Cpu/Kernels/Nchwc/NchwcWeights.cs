namespace OpenAutoGlm.Backends.Cpu.Kernels.Nchwc;

/// <summary>
/// A convolution's W [M, C/group, KH, KW] and B [M] rearranged once, at kernel creation, for the NCHWc kernels; channels
/// beyond M and C (up to the next multiple of 16, or 32 for output pairs) are zero, so padded lanes contribute nothing.
/// <list type="bullet">
/// <item>Dense, blocked input: per output pair (32 channels) and tap (input block, kh, kw), 16 input channels of 32 weights.</item>
/// <item>Dense, NCHW input (a first layer with few channels): per output pair and tap (kh, kw), C channels of 32 weights.</item>
/// <item>Depthwise (group = C = M): per block, kh, kw, 16 weights.</item>
/// </list>
/// </summary>
internal sealed class NchwcWeights
{
    public const int Block = NchwcLayout.Block;

    private NchwcWeights(float[] packed, float[] bias, int taps, int icCount)
    {
        Packed = packed;
        Bias = bias;
        Taps = taps;
        IcCount = icCount;
    }

    /// <summary>The rearranged weights (layout above).</summary>
    public float[] Packed { get; }

    /// <summary>B zero-padded to the output pairs (dense) or blocks (depthwise).</summary>
    public float[] Bias { get; }

    /// <summary>Taps per output pair (dense) or per block (depthwise).</summary>
    public int Taps { get; }

    /// <summary>Input channels per tap: 16 for a blocked input, C for an NCHW input, 1 for depthwise.</summary>
    public int IcCount { get; }

    /// <summary>Floats of packed weights per output pair (dense).</summary>
    public int PairStride => Taps * IcCount * 2 * Block;

    public static NchwcWeights Dense(ReadOnlySpan<float> w, ReadOnlySpan<float> bias, int m, int c, int kh, int kw, bool blockedInput)
    {
        int pairs = (m + (2 * Block) - 1) / (2 * Block);
        int k = kh * kw;
        int inBlocks = blockedInput ? NchwcLayout.Blocks(c) : 1;
        int icCount = blockedInput ? Block : c;
        int taps = inBlocks * k;
        var packed = new float[(long)pairs * taps * icCount * 2 * Block];
        for (int pair = 0; pair < pairs; pair++)
        {
            for (int ib = 0; ib < inBlocks; ib++)
            {
                for (int kk = 0; kk < k; kk++)
                {
                    long tapBase = (((long)pair * taps) + (ib * k) + kk) * icCount * 2 * Block;
                    for (int ic = 0; ic < icCount; ic++)
                    {
                        int channel = blockedInput ? (ib * Block) + ic : ic;
                        if (channel >= c)
                        {
                            continue;
                        }

                        for (int j = 0; j < 2 * Block; j++)
                        {
                            int oc = (pair * 2 * Block) + j;
                            if (oc < m)
                            {
                                packed[tapBase + (ic * 2 * Block) + j] = w[(((oc * c) + channel) * k) + kk];
                            }
                        }
                    }
                }
            }
        }

        var b = new float[pairs * 2 * Block];
        bias.CopyTo(b);
        return new NchwcWeights(packed, b, taps, icCount);
    }

    public static NchwcWeights Depthwise(ReadOnlySpan<float> w, ReadOnlySpan<float> bias, int c, int kh, int kw)
    {
        int blocks = NchwcLayout.Blocks(c);
        int k = kh * kw;
        var packed = new float[blocks * k * Block];
        for (int ch = 0; ch < c; ch++)
        {
            int cb = ch / Block, lane = ch % Block;
            for (int kk = 0; kk < k; kk++)
            {
                packed[(((cb * k) + kk) * Block) + lane] = w[(ch * k) + kk];
            }
        }

        var b = new float[blocks * Block];
        bias.CopyTo(b);
        return new NchwcWeights(packed, b, k, 1);
    }
}
