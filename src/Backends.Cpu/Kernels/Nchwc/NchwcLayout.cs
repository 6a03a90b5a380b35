using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Threading;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nchwc;

/// <summary>
/// The blocked channel layout NCHWc: a tensor [N, C, H, W] is stored as [N, ceil(C / 16), H, W, 16], channel c at block
/// c / 16, lane c % 16, so one 512-bit vector holds 16 channels of one pixel. Lanes beyond C are zero after a reorder
/// and hold finite values (the activation of a zero bias) after the NCHWc kernels; every consumer ignores them
/// (zero weights, dropped by <see cref="ToNchw"/>).
/// </summary>
internal static unsafe class NchwcLayout
{
    /// <summary>Channels per block: one Vector512 of float32.</summary>
    public const int Block = 16;

    /// <summary>
    /// Whether the CPU provider claims NchwcConv (so the optimizer converts convolutions): where 512-bit vectors are
    /// accelerated (the kernels are correct, but slow, without), unless AUTOGLM_NCHWC=0; AUTOGLM_NCHWC=1 forces it on.
    /// </summary>
    public static bool Enabled { get; set; } = Environment.GetEnvironmentVariable("AUTOGLM_NCHWC") switch
    {
        "0" => false,
        "1" => true,
        _ => Vector512.IsHardwareAccelerated,
    };

    public static string DisabledReason => Vector512.IsHardwareAccelerated
        ? "the NCHWc layout is switched off (AUTOGLM_NCHWC=0)"
        : "the NCHWc kernels need accelerated 512-bit vectors (AUTOGLM_NCHWC=1 forces them)";

    public static int Blocks(int channels) => (channels + Block - 1) / Block;

    /// <summary>[N, C, plane] → [N, ceil(C / 16), plane, 16], padded lanes zeroed; parallel over (image, block).</summary>
    public static void ToBlocked(float* x, float* y, int n, int c, int plane, int threads) =>
        ParallelFor.Range(n * Blocks(c), threads, Math.Max(1, (1 << 14) / Math.Max(1, plane * Block)), new ToBlockedWork(x, y, c, plane));

    /// <summary>[N, ceil(C / 16), plane, 16] → [N, C, plane]; parallel over (image, block).</summary>
    public static void ToNchw(float* x, float* y, int n, int c, int plane, int threads) =>
        ParallelFor.Range(n * Blocks(c), threads, Math.Max(1, (1 << 14) / Math.Max(1, plane * Block)), new ToNchwWork(x, y, c, plane));

    private readonly struct ToBlockedWork(float* x, float* y, int c, int plane) : IRangeWork
    {
        public void Invoke(int start, int end)
        {
            int blocks = Blocks(c);
            Span<float> tile = stackalloc float[Block * Block];
            for (int item = start; item < end; item++)
            {
                int img = item / blocks, cb = item % blocks;
                int lanes = Math.Min(Block, c - (cb * Block));
                float* src = x + (((long)img * c) + (cb * Block)) * plane;
                float* dst = y + (long)item * plane * Block;
                int p = 0;
                fixed (float* t = tile)
                {
                    // 16 pixels at a time: gather 16 channel rows into a 16 x 16 tile, write it transposed.
                    if (lanes < Block)
                    {
                        tile.Clear();
                    }

                    for (; p + Block <= plane; p += Block)
                    {
                        for (int l = 0; l < lanes; l++)
                        {
                            Vector512.Store(Vector512.Load(src + ((long)l * plane) + p), t + (l * Block));
                        }

                        for (int q = 0; q < Block; q++)
                        {
                            float* o = dst + ((long)(p + q) * Block);
                            for (int l = 0; l < Block; l++)
                            {
                                o[l] = t[(l * Block) + q];
                            }
                        }
                    }
                }

                for (; p < plane; p++)
                {
                    float* o = dst + ((long)p * Block);
                    int l = 0;
                    for (; l < lanes; l++)
                    {
                        o[l] = src[((long)l * plane) + p];
                    }

                    for (; l < Block; l++)
                    {
                        o[l] = 0f;
                    }
                }
            }
        }
    }

    private readonly struct ToNchwWork(float* x, float* y, int c, int plane) : IRangeWork
    {
        public void Invoke(int start, int end)
        {
            int blocks = Blocks(c);
            for (int item = start; item < end; item++)
            {
                int img = item / blocks, cb = item % blocks;
                int lanes = Math.Min(Block, c - (cb * Block));
                float* src = x + ((long)item * plane * Block);
                float* dst = y + ((((long)img * c) + (cb * Block)) * plane);
                for (int l = 0; l < lanes; l++)
                {
                    float* o = dst + ((long)l * plane);
                    float* s = src + l;
                    for (int p = 0; p < plane; p++)
                    {
                        o[p] = s[(long)p * Block];
                    }
                }
            }
        }
    }
}
