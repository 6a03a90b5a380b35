using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
internal sealed unsafe class NchwcWeights
{
    public const int Block = NchwcLayout.Block;

    private readonly float[] _packed;
    private readonly float[] _bias;

    private NchwcWeights(float[] packed, float[] bias, int taps, int icCount, int tailTaps = 0, int tailIc = 0)
    {
        TailTaps = tailTaps;
        TailIc = tailIc;
        // Pinned copies whose data starts on a 64-byte boundary: every weight load is one cache line.
        (_packed, nint p, Length) = Aligned(packed);
        Packed = (float*)p;
        (_bias, nint b, _) = Aligned(bias);
        Bias = (float*)b;
        Taps = taps;
        IcCount = icCount;
    }

    /// <summary>The rearranged weights (layout above), 64-byte aligned, valid while this object lives.</summary>
    public float* Packed { get; }

    /// <summary>Floats at <see cref="Packed"/>.</summary>
    public long Length { get; }

    /// <summary>B zero-padded to the output pairs (dense) or blocks (depthwise), 64-byte aligned.</summary>
    public float* Bias { get; }

    /// <summary>Taps per output pair (dense) or per block (depthwise).</summary>
    public int Taps { get; }

    /// <summary>Input channels per tap: 16 for a blocked input, C for an NCHW input, 1 for depthwise.</summary>
    public int IcCount { get; }

    /// <summary>A pinned copy of <paramref name="values"/> whose data starts on a 64-byte boundary (keep Array alive).</summary>
    internal static (float[] Array, nint Aligned, long Length) Aligned(float[] values)
    {
        var array = GC.AllocateUninitializedArray<float>(values.Length + Block, pinned: true);
        float* first = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        float* aligned = (float*)(((nint)first + 63) & ~(nint)63);
        values.AsSpan().CopyTo(new Span<float>(aligned, values.Length));
        return (array, (nint)aligned, values.Length);
    }

    /// <summary>
    /// Dense with a blocked input whose C is not a multiple of 16: the last input block's taps (the last KH x KW) hold
    /// only <see cref="TailIc"/> = C mod 16 channels, so the kernel skips the zero channels (24 and 40 input channels:
    /// 25% and 17% of the products). 0 otherwise.
    /// </summary>
    public int TailTaps { get; }

    /// <summary>Channels of each of the last <see cref="TailTaps"/> taps.</summary>
    public int TailIc { get; }

    /// <summary>Floats of packed weights per output pair (dense).</summary>
    public int PairStride => (((Taps - TailTaps) * IcCount) + (TailTaps * TailIc)) * 2 * Block;

    public static NchwcWeights Dense(ReadOnlySpan<float> w, ReadOnlySpan<float> bias, int m, int c, int kh, int kw, bool blockedInput)
    {
        int pairs = (m + (2 * Block) - 1) / (2 * Block);
        int k = kh * kw;
        int inBlocks = blockedInput ? NchwcLayout.Blocks(c) : 1;
        int icCount = blockedInput ? Block : c;
        int taps = inBlocks * k;
        int tailIc = blockedInput ? c % Block : 0;
        int tailTaps = tailIc == 0 ? 0 : k;
        long pairFloats = (((long)(taps - tailTaps) * icCount) + ((long)tailTaps * tailIc)) * 2 * Block;
        var packed = new float[pairs * pairFloats];
        for (int pair = 0; pair < pairs; pair++)
        {
            for (int ib = 0; ib < inBlocks; ib++)
            {
                int channels = tailTaps > 0 && ib == inBlocks - 1 ? tailIc : icCount;
                for (int kk = 0; kk < k; kk++)
                {
                    // Blocks before this one hold icCount channels per tap; this block's taps hold `channels` each.
                    long tapBase = (pair * pairFloats) + ((((long)ib * k * icCount) + ((long)kk * channels)) * 2 * Block);
                    for (int ic = 0; ic < channels; ic++)
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
        return new NchwcWeights(packed, b, taps, icCount, tailTaps, tailIc);
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
