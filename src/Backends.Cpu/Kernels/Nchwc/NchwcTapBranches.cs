namespace OpenAutoGlm.Backends.Cpu.Kernels.Nchwc;

/// <summary>
/// Ranges of output blocks of a dense convolution whose nonzero weights fit a smaller window than W's kernel. A merged
/// parallel convolution (a SqueezeNet fire module's 1x1 and 3x3 expands sharing their input, the 1x1 zero-padded into
/// the 3x3 by the optimizer's merge-parallel-convs pass, their Concat gone) runs as one convolution per range, each
/// with its own window and pads and the direct or Winograd path that suits it, written into its blocks of the shared
/// output; the zero taps are never multiplied. A tap skipped this way contributes nothing, as in the separate
/// convolutions the merge came from (only 0 x inf = NaN from a non-finite input differs from the full product).
/// </summary>
internal sealed class NchwcTapBranches
{
    private NchwcTapBranches(Branch[] branches) => Items = branches;

    public IReadOnlyList<Branch> Items { get; }

    /// <summary>
    /// The branches of W [M, C, KH, KW] by 16-channel output block, or null when every block needs the whole window (a
    /// block with no nonzero weight takes the whole window too). Neighbouring blocks with the same window form one branch.
    /// </summary>
    public static NchwcTapBranches? Find(ReadOnlySpan<float> w, ReadOnlySpan<float> bias, int m, int c, int kh, int kw)
    {
        if (kh * kw == 1 || m == 0 || c == 0)
        {
            return null;
        }

        int blocks = NchwcLayout.Blocks(m);
        var windows = new Window[blocks];
        for (int b = 0; b < blocks; b++)
        {
            var box = new Window(kh, 0, kw, 0);
            for (int o = b * NchwcLayout.Block; o < Math.Min(m, (b + 1) * NchwcLayout.Block); o++)
            {
                for (int ci = 0; ci < c; ci++)
                {
                    int at = ((o * c) + ci) * kh * kw;
                    for (int i = 0; i < kh; i++)
                    {
                        for (int j = 0; j < kw; j++)
                        {
                            // NaN != 0: a NaN weight keeps its tap.
                            if (w[at + (i * kw) + j] != 0f)
                            {
                                box = new Window(Math.Min(box.Row0, i), Math.Max(box.Row1, i + 1), Math.Min(box.Col0, j), Math.Max(box.Col1, j + 1));
                            }
                        }
                    }
                }
            }

            windows[b] = box.Row0 >= box.Row1 ? new Window(0, kh, 0, kw) : box;
        }

        var full = new Window(0, kh, 0, kw);
        if (windows.All(x => x == full))
        {
            return null;
        }

        var branches = new List<Branch>();
        for (int b0 = 0; b0 < blocks;)
        {
            int b1 = b0 + 1;
            while (b1 < blocks && windows[b1] == windows[b0])
            {
                b1++;
            }

            var win = windows[b0];
            int o0 = b0 * NchwcLayout.Block, channels = Math.Min(m, b1 * NchwcLayout.Block) - o0;
            int bh = win.Row1 - win.Row0, bw = win.Col1 - win.Col0;
            var sub = new float[channels * c * bh * bw];
            for (int o = 0; o < channels; o++)
            {
                for (int ci = 0; ci < c; ci++)
                {
                    for (int i = 0; i < bh; i++)
                    {
                        for (int j = 0; j < bw; j++)
                        {
                            sub[((((o * c) + ci) * bh) + i) * bw + j] = w[(((((o0 + o) * c) + ci) * kh) + win.Row0 + i) * kw + win.Col0 + j];
                        }
                    }
                }
            }

            float[] subBias = bias.IsEmpty ? [] : bias.Slice(o0, channels).ToArray();
            branches.Add(new Branch(b0, channels, win.Row0, win.Col0, bh, bw, sub, subBias));
            b0 = b1;
        }

        return new NchwcTapBranches([.. branches]);
    }

    /// <summary>
    /// The geometry of <paramref name="branch"/> inside the full convolution <paramref name="g"/>: its channels, window and
    /// pads shifted by the window's offset; null when the shift would need a negative pad (the window starts past the
    /// padding: the full kernel runs instead).
    /// </summary>
    public static NchwcGeometry? GeometryOf(in NchwcGeometry g, Branch branch)
    {
        int top = g.PadTop - (branch.Row0 * g.DilationH), left = g.PadLeft - (branch.Col0 * g.DilationW);
        return top < 0 || left < 0 ? null : g with { M = branch.Channels, KH = branch.KH, KW = branch.KW, PadTop = top, PadLeft = left };
    }

    /// <summary>Kernel rows [Row0, Row1) and columns [Col0, Col1) holding every nonzero tap of a block.</summary>
    private readonly record struct Window(int Row0, int Row1, int Col0, int Col1);

    /// <summary>
    /// Output channels [16 FirstBlock, 16 FirstBlock + Channels) with the KH x KW window at (Row0, Col0) of the full
    /// kernel; W [Channels, C, KH, KW] and the bias (empty: none) cut out of the full ones; packings made on first use.
    /// </summary>
    internal sealed class Branch(int firstBlock, int channels, int row0, int col0, int kh, int kw, float[] w, float[] bias)
    {
        private NchwcWeights? _dense;
        private NchwcWinogradWeights? _winograd;

        public int FirstBlock { get; } = firstBlock;

        public int Channels { get; } = channels;

        public int Row0 { get; } = row0;

        public int Col0 { get; } = col0;

        public int KH { get; } = kh;

        public int KW { get; } = kw;

        public float[] W { get; } = w;

        public float[] Bias { get; } = bias;

        public NchwcWeights Dense(int c)
        {
            if (Volatile.Read(ref _dense) is { } ready)
            {
                return ready;
            }

            var packed = NchwcWeights.Dense(W, Bias, Channels, c, KH, KW, blockedInput: true);
            return Interlocked.CompareExchange(ref _dense, packed, null) ?? packed;
        }

        public NchwcWinogradWeights Winograd(int c)
        {
            if (Volatile.Read(ref _winograd) is { } ready)
            {
                return ready;
            }

            var packed = new NchwcWinogradWeights(W, Bias, Channels, c);
            return Interlocked.CompareExchange(ref _winograd, packed, null) ?? packed;
        }
    }
}
