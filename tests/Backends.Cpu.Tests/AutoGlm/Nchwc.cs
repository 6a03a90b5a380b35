using OpenAutoGlm.Core;

namespace OpenAutoGlm.Backends.Cpu.Tests.AutoGlm;

/// <summary>
/// The NCHWc layout written as plain loops (the oracle of the blocked-op tests): logical [N, C, H, W] is stored as
/// [N, ceil(C / 16), H, W, 16], channel c at block c / 16, lane c % 16.
/// </summary>
internal static class Nchwc
{
    public const int Block = 16;

    public static int Blocks(int channels) => (channels + Block - 1) / Block;

    /// <summary>Seeded uniform values in [lo, hi).</summary>
    public static Tensor<float> Uniform(int seed, float lo, float hi, params int[] dims)
    {
        var rng = new Random(seed);
        int n = dims.Aggregate(1, (a, b) => a * b);
        return Tensor.Create(Enumerable.Range(0, n).Select(_ => lo + (float)(rng.NextDouble() * (hi - lo))).ToArray(), dims);
    }

    /// <summary>[N, C, H, W] → [N, ceil(C / 16), H, W, 16], lanes beyond C set to <paramref name="padding"/>.</summary>
    public static Tensor<float> ToBlocked(Tensor<float> x, float padding = 0f)
    {
        int n = x.Dims[0], c = x.Dims[1], h = x.Dims[2], w = x.Dims[3], blocks = Blocks(c);
        var y = new float[n * blocks * h * w * Block];
        var src = x.Span;
        for (int i = 0; i < n; i++)
        {
            for (int cb = 0; cb < blocks; cb++)
            {
                for (int p = 0; p < h * w; p++)
                {
                    for (int l = 0; l < Block; l++)
                    {
                        int ch = (cb * Block) + l;
                        y[((((i * blocks) + cb) * h * w) + p) * Block + l] = ch < c ? src[(((i * c) + ch) * h * w) + p] : padding;
                    }
                }
            }
        }

        return Tensor.Create(y, [n, blocks, h, w, Block]);
    }

    /// <summary>[N, ceil(C / 16), H, W, 16] → [N, C, H, W], dropping the lanes beyond C.</summary>
    public static Tensor<float> ToNchw(Tensor blocked, int c)
    {
        var x = (Tensor<float>)blocked;
        Assert.Equal(5, x.Rank);
        Assert.Equal(Block, x.Dims[4]);
        Assert.Equal(Blocks(c), x.Dims[1]);
        int n = x.Dims[0], h = x.Dims[2], w = x.Dims[3], blocks = x.Dims[1];
        var y = new float[n * c * h * w];
        var src = x.Span;
        for (int i = 0; i < n; i++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                for (int p = 0; p < h * w; p++)
                {
                    y[(((i * c) + ch) * h * w) + p] = src[((((i * blocks) + (ch / Block)) * h * w) + p) * Block + (ch % Block)];
                }
            }
        }

        return Tensor.Create(y, [n, c, h, w]);
    }

    /// <summary>The values of the lanes beyond <paramref name="c"/> of a blocked tensor.</summary>
    public static List<float> PaddedLanes(Tensor blocked, int c)
    {
        var x = (Tensor<float>)blocked;
        var lanes = new List<float>();
        var span = x.Span;
        int blocks = x.Dims[1], plane = x.Dims[2] * x.Dims[3];
        for (int i = 0; i < x.Dims[0]; i++)
        {
            for (int cb = 0; cb < blocks; cb++)
            {
                for (int p = 0; p < plane; p++)
                {
                    for (int l = 0; l < Block; l++)
                    {
                        if ((cb * Block) + l >= c)
                        {
                            lanes.Add(span[((((i * blocks) + cb) * plane) + p) * Block + l]);
                        }
                    }
                }
            }
        }

        return lanes;
    }

    public static void AssertPaddedLanesFinite(Tensor blocked, int c)
    {
        var bad = PaddedLanes(blocked, c).FindIndex(v => !float.IsFinite(v));
        Assert.True(bad < 0, $"a padded lane (beyond channel {c}) is not finite");
    }
}
