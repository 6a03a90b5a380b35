using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Image;

/// <summary>
/// Separable N-D interpolation of Resize and Upsample, following the ONNX reference: along each axis, output index x
/// maps to x_original by the coordinate transformation mode, and y = sum_k coeff_k(ratio) * in[clamp(base + k)] over the
/// n nearest input positions (n = 2 for nearest and linear, 4 for cubic; edges replicate). Under tf_crop_and_resize an
/// x_original outside [0, in - 1] on any axis yields extrapolation_value.
/// </summary>
internal sealed class ResizeCore
{
    private readonly string _mode;
    private readonly string _coordinates;
    private readonly string _nearestMode;
    private readonly double _cubicA;
    private readonly bool _excludeOutside;
    private readonly double _extrapolation;

    public ResizeCore(KernelCreationContext context, string mode, string coordinates, string nearestMode)
    {
        var attrs = context.Attributes;
        _mode = mode;
        _coordinates = coordinates;
        _nearestMode = nearestMode;
        _cubicA = attrs.GetFloat("cubic_coeff_a", -0.75f);
        _excludeOutside = attrs.GetInt("exclude_outside", 0) != 0;
        _extrapolation = attrs.GetFloat("extrapolation_value", 0f);
        if (_mode is not ("nearest" or "linear" or "cubic"))
        {
            throw context.Error($"mode must be nearest, linear or cubic, got '{_mode}'");
        }

        if (_coordinates is not ("half_pixel" or "pytorch_half_pixel" or "align_corners" or "asymmetric" or "tf_half_pixel_for_nn" or "tf_crop_and_resize"))
        {
            throw context.Error($"unsupported coordinate_transformation_mode '{_coordinates}'");
        }

        if (_nearestMode is not ("round_prefer_floor" or "round_prefer_ceil" or "floor" or "ceil"))
        {
            throw context.Error($"unsupported nearest_mode '{_nearestMode}'");
        }
    }

    public bool CropsWithRoi => _coordinates == "tf_crop_and_resize";

    /// <summary>Resizes <paramref name="x"/> to <paramref name="outDims"/>; <paramref name="scales"/> are the per-axis factors the coordinates use.</summary>
    public void Run(KernelContext context, Tensor x, int[] outDims, double[] scales, double[]? roi)
    {
        if (!x.DataType.IsNumeric())
        {
            throw context.Error($"input must be numeric, got {x.DataType.Name()}");
        }

        int rank = x.Rank;

        // Axes are resized one at a time, so every intermediate buffer holds at most prod(max(in_k, out_k)) values;
        // refuse sizes no buffer can hold before allocating anything.
        double largest = 1;
        for (int axis = 0; axis < rank; axis++)
        {
            largest *= Math.Max(x.Dims[axis], outDims[axis]);
        }

        if (largest > Array.MaxLength)
        {
            throw context.Error($"output shape {Shape.Format(outDims)} for input {x.ShapeString} needs more than {Array.MaxLength} elements");
        }

        double[] data = x.ToDoubleArray();
        int[] dims = x.DimsArray();
        var outside = new bool[rank][];
        for (int axis = 0; axis < rank; axis++)
        {
            double start = roi?[axis] ?? 0;
            double end = roi?[axis + rank] ?? 1;
            (data, outside[axis]) = ResizeAxis(data, dims, axis, outDims[axis], scales[axis], start, end);
            dims[axis] = outDims[axis];
        }

        if (CropsWithRoi)
        {
            ApplyExtrapolation(data, outDims, outside);
        }

        DoubleStore.Store(context.Output(0, x.DataType, outDims), data);
    }

    private (double[] Data, bool[] Outside) ResizeAxis(double[] data, int[] dims, int axis, int outLen, double scale, double roiStart, double roiEnd)
    {
        int inLen = dims[axis];
        int outer = AxisOps.Product(dims.AsSpan(0, axis));
        int inner = AxisOps.Product(dims.AsSpan(axis + 1));
        int n = _mode == "cubic" ? 4 : 2;
        var bases = new int[outLen];
        var coeffs = new double[outLen * n];
        var outside = new bool[outLen];
        for (int o = 0; o < outLen; o++)
        {
            double xo = Original(o, inLen, scale, roiStart, roiEnd);
            if (CropsWithRoi && (xo < 0 || xo > inLen - 1))
            {
                outside[o] = true;
                continue;
            }

            double floor = Math.Floor(xo);
            bool integral = xo == floor;
            double ratio = integral ? 1 : xo - floor;
            bases[o] = (int)floor - (n / 2) + (integral ? 0 : 1);
            var c = coeffs.AsSpan(o * n, n);
            Coefficients(ratio, integral, c);
            if (_excludeOutside)
            {
                double sum = 0;
                for (int k = 0; k < n; k++)
                {
                    int idx = bases[o] + k;
                    c[k] = idx < 0 || idx >= inLen ? 0 : c[k];
                    sum += c[k];
                }

                for (int k = 0; k < n && sum != 0; k++)
                {
                    c[k] /= sum;
                }
            }
        }

        var result = new double[outer * outLen * inner];
        for (int b = 0; b < outer; b++)
        {
            for (int o = 0; o < outLen; o++)
            {
                int dst = ((b * outLen) + o) * inner;
                for (int k = 0; k < n && !outside[o]; k++)
                {
                    double c = coeffs[(o * n) + k];
                    if (c == 0)
                    {
                        continue;
                    }

                    int idx = Math.Clamp(bases[o] + k, 0, inLen - 1);
                    int src = ((b * inLen) + idx) * inner;
                    for (int i = 0; i < inner; i++)
                    {
                        result[dst + i] += c * data[src + i];
                    }
                }
            }
        }

        return (result, outside);
    }

    // Output coordinate -> input coordinate; the reference uses the real-valued output width scale * in.
    private double Original(int x, int inLen, double scale, double roiStart, double roiEnd)
    {
        double outWidth = scale * inLen;
        switch (_coordinates)
        {
            case "align_corners":
                return outWidth == 1 ? 0 : x * (inLen - 1) / (outWidth - 1);
            case "asymmetric":
                return x / scale;
            case "tf_crop_and_resize":
                double xo = outWidth == 1 ? (roiEnd - roiStart) * (inLen - 1) / 2 : x * (roiEnd - roiStart) * (inLen - 1) / (outWidth - 1);
                return xo + (roiStart * (inLen - 1));
            case "pytorch_half_pixel":
                return outWidth == 1 ? -0.5 : ((x + 0.5) / scale) - 0.5;
            case "tf_half_pixel_for_nn":
                return (x + 0.5) / scale;
            default:
                return ((x + 0.5) / scale) - 0.5;
        }
    }

    private void Coefficients(double ratio, bool integral, Span<double> c)
    {
        switch (_mode)
        {
            case "nearest":
                bool ceil = integral || _nearestMode switch
                {
                    "round_prefer_floor" => ratio > 0.5,
                    "round_prefer_ceil" => ratio >= 0.5,
                    "floor" => false,
                    _ => true,
                };
                c[0] = ceil ? 0 : 1;
                c[1] = ceil ? 1 : 0;
                break;
            case "linear":
                c[0] = 1 - ratio;
                c[1] = ratio;
                break;
            default:
                double a = _cubicA;
                double r1 = ratio + 1, q = 1 - ratio, q1 = q + 1;
                c[0] = (((((a * r1) - (5 * a)) * r1) + (8 * a)) * r1) - (4 * a);
                c[1] = ((((a + 2) * ratio) - (a + 3)) * ratio * ratio) + 1;
                c[2] = ((((a + 2) * q) - (a + 3)) * q * q) + 1;
                c[3] = (((((a * q1) - (5 * a)) * q1) + (8 * a)) * q1) - (4 * a);
                break;
        }
    }

    private void ApplyExtrapolation(double[] data, int[] dims, bool[][] outside)
    {
        var index = new int[dims.Length];
        for (int i = 0; i < data.Length; i++)
        {
            for (int d = 0; d < dims.Length; d++)
            {
                if (outside[d][index[d]])
                {
                    data[i] = _extrapolation;
                    break;
                }
            }

            for (int d = dims.Length - 1; d >= 0 && ++index[d] == dims[d]; d--)
            {
                index[d] = 0;
            }
        }
    }
}
