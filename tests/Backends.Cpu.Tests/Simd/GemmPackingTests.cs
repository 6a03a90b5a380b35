using OpenAutoGlm.Backends.Cpu.Simd;

namespace OpenAutoGlm.Backends.Cpu.Tests.Simd;

/// <summary>
/// The row-to-panel transpose behind A packing (and transposed B packing) against the definition
/// dst[p * mr + r] = src[r * ld + p]: every row count 0..13 and kc 0..37 (the 8-wide, 4-wide and scalar k tails), panel
/// widths 6, 8, 12 and 32, rows wider than kc; lanes of the panel past the given rows are left as they were.
/// Run also under DOTNET_EnableAVX=0 and DOTNET_EnableHWIntrinsic=0 for the SSE and scalar paths.
/// </summary>
public sealed class GemmPackingTests
{
    [Fact]
    public void TransposeRowsWritesEveryRowKMajor()
    {
        foreach (int mr in new[] { 6, 8, 12, 32 })
        {
            for (int rows = 0; rows <= Math.Min(mr, 13); rows++)
            {
                for (int kc = 0; kc <= 37; kc++)
                {
                    int ld = kc + 3;
                    var src = new float[(Math.Max(rows, 1) * ld) + 1];
                    for (int i = 0; i < src.Length; i++)
                    {
                        src[i] = i + 0.5f;
                    }

                    var dst = new float[(kc * mr) + 1];
                    Array.Fill(dst, -1f);
                    GemmPacking.TransposeRows(src, ld, rows, kc, dst, mr);

                    for (int p = 0; p < kc; p++)
                    {
                        for (int r = 0; r < mr; r++)
                        {
                            float expected = r < rows ? src[(r * ld) + p] : -1f;
                            Assert.True(expected == dst[(p * mr) + r], $"mr={mr} rows={rows} kc={kc}: dst[{p}, {r}] = {dst[(p * mr) + r]}, expected {expected}");
                        }
                    }

                    Assert.Equal(-1f, dst[kc * mr]);
                }
            }
        }
    }

    [Fact]
    public void TransposeRowsRejectsBlocksOutsideItsBuffers()
    {
        Assert.Throws<ArgumentException>(() => GemmPacking.TransposeRows(new float[10], 5, 3, 5, new float[60], 12));
        Assert.Throws<ArgumentException>(() => GemmPacking.TransposeRows(new float[15], 5, 3, 5, new float[59], 12));
        Assert.Throws<ArgumentException>(() => GemmPacking.TransposeRows(new float[100], 5, 13, 5, new float[60], 12));
    }
}
