using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Image;

/// <summary>
/// GridSample (https://onnx.ai/onnx/operators/onnx__GridSample.html): Y[n, c, p] samples X[n, c] at the location
/// grid[n, p] (normalized to [-1, 1], components in reverse axis order: x = width first). Each component g becomes the
/// pixel coordinate u = (g + 1) / 2 * (size - 1) with align_corners, else ((g + 1) * size - 1) / 2. A coordinate outside
/// [lo, hi] ([0, size - 1] with align_corners, else [-0.5, size - 0.5]) is clamped to [0, size - 1] (border) or
/// reflected at lo and hi (reflection). Interpolation is separable over the taps of each axis: nearest (rint; C++
/// round for 3 spatial axes, as the ONNX reference), linear (floor(u), floor(u) + 1) or cubic (floor(u) - 1 .. + 2,
/// Keys a = -0.75); a tap outside the input reads 0 (zeros), the clamped (border) or the reflected (reflection) pixel.
/// Opset 16: 4-D input, modes bilinear / nearest / bicubic; opset 20: N-D, modes linear / nearest / cubic.
/// </summary>
internal sealed class GridSample : IKernel
{
    private const double CubicA = -0.75;

    private readonly int _taps;
    private readonly bool _nearest;
    private readonly string _padding;
    private readonly bool _alignCorners;
    private readonly bool _onlySpatial2D;

    public GridSample(KernelCreationContext context)
    {
        var attrs = context.Attributes;
        bool legacy = context.Opset < 20;
        string mode = attrs.GetString("mode", legacy ? "bilinear" : "linear");
        (_taps, _nearest) = (legacy, mode) switch
        {
            (_, "nearest") => (1, true),
            (true, "bilinear") or (false, "linear") => (2, false),
            (true, "bicubic") or (false, "cubic") => (4, false),
            _ => throw context.Error($"mode must be {(legacy ? "bilinear, nearest or bicubic" : "linear, nearest or cubic")} in opset {context.Opset}, got '{mode}'"),
        };
        _padding = attrs.GetString("padding_mode", "zeros");
        if (_padding is not ("zeros" or "border" or "reflection"))
        {
            throw context.Error($"padding_mode must be zeros, border or reflection, got '{_padding}'");
        }

        _alignCorners = attrs.GetInt("align_corners", 0) != 0;
        _onlySpatial2D = legacy;
    }

    public void Compute(KernelContext context)
    {
        var x = context.Input(0);
        var grid = context.Input(1);
        if (!x.DataType.IsNumeric() || !grid.DataType.IsFloatingPoint())
        {
            throw context.Error($"X must be numeric and grid floating point, got {x.DataType.Name()} and {grid.DataType.Name()}");
        }

        int rank = x.Rank;
        int spatial = rank - 2;
        if (_onlySpatial2D ? rank != 4 : rank < 3)
        {
            throw context.Error($"X must be {(_onlySpatial2D ? "4-D (N, C, H, W) before opset 20" : "(N, C, D1, ..., Dk)")}, got shape {x.ShapeString}");
        }

        if (grid.Rank != rank || grid.Dims[0] != x.Dims[0] || grid.Dims[^1] != spatial)
        {
            throw context.Error($"grid must be [N={x.Dims[0]}, out spatial dims..., {spatial}] for X {x.ShapeString}, got {grid.ShapeString}");
        }

        var outDims = new int[rank];
        outDims[0] = x.Dims[0];
        outDims[1] = x.Dims[1];
        grid.Dims[1..^1].CopyTo(outDims.AsSpan(2));
        var output = context.Output(0, x.DataType, outDims);
        if (output.Length == 0)
        {
            return;
        }

        int batch = x.Dims[0];
        int channels = x.Dims[1];
        int[] sizes = x.Dims[2..].ToArray();
        int plane = AxisOps.Product(sizes);
        if (plane == 0)
        {
            throw context.Error($"X {x.ShapeString} has an empty spatial axis to sample from");
        }

        int points = AxisOps.Product(grid.Dims[1..^1]);
        double[] input = x.ToDoubleArray();
        double[] coords = grid.ToDoubleArray();
        var result = new double[output.Length];

        // Per axis: tap offsets into the plane (-1 = a zero-padded tap) and weights; then their outer product.
        var axisOffsets = new int[spatial * _taps];
        var axisWeights = new double[spatial * _taps];
        int combos = (int)Math.Pow(_taps, spatial);
        var offsets = new int[combos];
        var weights = new double[combos];
        for (int n = 0; n < batch; n++)
        {
            for (int p = 0; p < points; p++)
            {
                int stride = plane;
                for (int d = 0; d < spatial; d++)
                {
                    stride /= sizes[d];
                    double g = coords[(((n * points) + p) * spatial) + (spatial - 1 - d)];
                    AxisTaps(g, sizes[d], stride, spatial, axisOffsets.AsSpan(d * _taps, _taps), axisWeights.AsSpan(d * _taps, _taps));
                }

                Combine(spatial, axisOffsets, axisWeights, offsets, weights);
                for (int c = 0; c < channels; c++)
                {
                    int baseIndex = ((n * channels) + c) * plane;
                    double sum = 0;
                    for (int j = 0; j < combos; j++)
                    {
                        if (offsets[j] >= 0)
                        {
                            sum += weights[j] * input[baseIndex + offsets[j]];
                        }
                    }

                    result[(((n * channels) + c) * points) + p] = sum;
                }
            }
        }

        DoubleStore.Store(output, result);
    }

    /// <summary>The taps of one axis for normalized coordinate g: offsets (index * stride, or -1 for a zero tap) and weights.</summary>
    private void AxisTaps(double g, int size, int stride, int spatial, Span<int> offsets, Span<double> weights)
    {
        double u = _alignCorners ? (g + 1) / 2 * (size - 1) : (((g + 1) * size) - 1) / 2;
        double lo = _alignCorners ? 0 : -0.5;
        double hi = _alignCorners ? size - 1 : size - 0.5;
        if (_nearest)
        {
            u = spatial == 3 ? Math.Round(u, MidpointRounding.AwayFromZero) : Math.Round(u, MidpointRounding.ToEven);
        }

        if (u < lo || u > hi)
        {
            u = _padding switch
            {
                "border" => Math.Clamp(u, 0, size - 1),
                "reflection" => Reflect(u, lo, hi),
                _ => u,
            };
        }

        double floor = Math.Floor(u);
        double t = u - floor;
        long first = (long)floor - (_taps == 4 ? 1 : 0);
        switch (_taps)
        {
            case 1:
                weights[0] = 1;
                break;
            case 2:
                weights[0] = 1 - t;
                weights[1] = t;
                break;
            default:
                CubicWeights(t, weights);
                break;
        }

        for (int k = 0; k < _taps; k++)
        {
            long index = PadIndex(first + k, size, lo, hi);
            offsets[k] = index < 0 ? -1 : (int)index * stride;
        }
    }

    /// <summary>Where tap <paramref name="index"/> reads: itself when inside, else by padding_mode (-1 = zero).</summary>
    private long PadIndex(long index, int size, double lo, double hi)
    {
        if (index >= 0 && index < size)
        {
            return index;
        }

        return _padding switch
        {
            "border" => Math.Clamp(index, 0, size - 1),
            "reflection" => Math.Clamp((long)Reflect(index, lo, hi), 0, size - 1),
            _ => -1,
        };
    }

    /// <summary>Reflects v at lo and hi until it lies in [lo, hi] (a mirror with period 2 * (hi - lo)).</summary>
    private static double Reflect(double v, double lo, double hi)
    {
        double range = hi - lo;
        if (range <= 0)
        {
            return lo;
        }

        bool below = v < lo;
        double distance = below ? lo - v : v - hi;
        double flips = Math.Floor(distance / range);
        double rest = distance - (flips * range);
        bool even = flips % 2 == 0;
        return below == even ? lo + rest : hi - rest;
    }

    /// <summary>Keys cubic convolution weights (a = -0.75) of the taps at distances 1 + t, t, 1 - t, 2 - t.</summary>
    private static void CubicWeights(double t, Span<double> w)
    {
        const double a = CubicA;
        double t1 = t + 1;
        double t2 = 1 - t;
        double t3 = 2 - t;
        w[0] = ((((a * t1) - (5 * a)) * t1) + (8 * a)) * t1 - (4 * a);
        w[1] = ((((a + 2) * t) - (a + 3)) * t * t) + 1;
        w[2] = ((((a + 2) * t2) - (a + 3)) * t2 * t2) + 1;
        w[3] = ((((a * t3) - (5 * a)) * t3) + (8 * a)) * t3 - (4 * a);
    }

    /// <summary>Outer product of the per-axis taps: one (offset, weight) per combination; -1 offsets stay -1.</summary>
    private void Combine(int spatial, int[] axisOffsets, double[] axisWeights, int[] offsets, double[] weights)
    {
        offsets[0] = 0;
        weights[0] = 1;
        int count = 1;
        for (int d = 0; d < spatial; d++)
        {
            // Expand in place from the back so entries of the previous axes are read before they are overwritten.
            for (int j = count - 1; j >= 0; j--)
            {
                int offset = offsets[j];
                double weight = weights[j];
                for (int k = _taps - 1; k >= 0; k--)
                {
                    int tap = axisOffsets[(d * _taps) + k];
                    int target = (j * _taps) + k;
                    offsets[target] = offset < 0 || tap < 0 ? -1 : offset + tap;
                    weights[target] = weight * axisWeights[(d * _taps) + k];
                }
            }

            count *= _taps;
        }
    }
}
