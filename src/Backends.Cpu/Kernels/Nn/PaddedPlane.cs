using System.Runtime.CompilerServices;
using OpenAutoGlm.Backends.Cpu.Simd;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nn;

/// <summary>
/// The scratch plane the 2-D window kernels (depthwise convolution, MaxPool) read their taps from: row t, column u
/// hold X[t - padTop, u - padLeft], the border holds a constant the caller writes once per chunk of planes (0 for a
/// convolution, -inf for a max), tall and wide enough for every tap of every output row and for a vector's reads past
/// a row's end (2 vectors for the even-lane loads of column stride 2).
/// </summary>
internal static unsafe class PaddedPlane
{
    /// <summary>Floats per padded row and padded rows for geometry <paramref name="p"/> and vectors of <paramref name="width"/> floats.</summary>
    public static (int RowLength, int Rows) Size(ConvPlan p, int width) =>
        (Math.Max(p.PadsBegin[1] + p.Input[1], ((p.Output[1] - 1) * p.Strides[1]) + p.Kernel[1] + (2 * width)),
         Math.Max(p.PadsBegin[0] + p.Input[0], ((p.Output[0] - 1) * p.Strides[0]) + ((p.Kernel[0] - 1) * p.Dilations[0]) + 1));

    /// <summary>Copies plane <paramref name="x"/> into the image area of <paramref name="padded"/> (inline vector moves: rows of late layers are a few vectors long).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CopyImage<TV, TOps>(ConvPlan p, float* x, float* padded, int rowLength)
        where TV : struct
        where TOps : struct, IGemmVector<TV>
    {
        int ih = p.Input[0], iw = p.Input[1], v = TOps.Width;
        float* origin = padded + ((long)p.PadsBegin[0] * rowLength) + p.PadsBegin[1];
        for (int iy = 0; iy < ih; iy++)
        {
            float* from = x + ((long)iy * iw), to = origin + ((long)iy * rowLength);
            int i = 0;
            for (; i + v <= iw; i += v)
            {
                TOps.Store(to + i, TOps.Load(from + i));
            }

            for (; i < iw; i++)
            {
                to[i] = from[i];
            }
        }
    }
}

/// <summary>How a window kernel loads a vector of tap inputs: contiguous (column stride 1) or even lanes (stride 2).</summary>
internal unsafe interface IColumnStride
{
    static abstract TV Load<TV, TOps>(float* s)
        where TV : struct
        where TOps : struct, IStridedVector<TV>;
}

internal readonly unsafe struct ColumnStride1 : IColumnStride
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Load<TV, TOps>(float* s)
        where TV : struct
        where TOps : struct, IStridedVector<TV> => TOps.Load(s);
}

internal readonly unsafe struct ColumnStride2 : IColumnStride
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Load<TV, TOps>(float* s)
        where TV : struct
        where TOps : struct, IStridedVector<TV> => TOps.LoadEven(s);
}
