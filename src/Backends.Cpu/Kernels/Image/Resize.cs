using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Image;

/// <summary>
/// Resize: nearest / linear / cubic interpolation of X to sizes (or floor(in * scale)) with the ONNX coordinate
/// transformation modes (https://onnx.ai/onnx/operators/onnx__Resize.html). Opset 10 takes (X, scales); 11+ takes
/// (X, roi, scales, sizes). The opset-18 attributes antialias, axes and keep_aspect_ratio_policy are not supported.
/// </summary>
internal sealed class Resize : IKernel
{
    private readonly ResizeCore _core;
    private readonly bool _legacy;

    public Resize(KernelCreationContext context)
    {
        var attrs = context.Attributes;
        _legacy = context.Opset < 11;
        string defaultCoordinates = _legacy ? "asymmetric" : "half_pixel";
        _core = new ResizeCore(context, attrs.GetString("mode", "nearest"), attrs.GetString("coordinate_transformation_mode", defaultCoordinates), attrs.GetString("nearest_mode", _legacy ? "floor" : "round_prefer_floor"));
        if (attrs.GetInt("antialias", 0) != 0 || attrs.Contains("axes") || attrs.GetString("keep_aspect_ratio_policy", "stretch") != "stretch")
        {
            throw context.Error("the opset-18 attributes antialias, axes and keep_aspect_ratio_policy are not supported");
        }
    }

    public void Compute(KernelContext context)
    {
        var x = context.Input(0);
        int rank = x.Rank;
        var roiTensor = _legacy ? null : context.OptionalInput(1);
        var scalesTensor = _legacy ? context.Input(1) : context.OptionalInput(2);
        var sizesTensor = _legacy ? null : context.OptionalInput(3);
        double[]? roi = _core.CropsWithRoi && roiTensor is { Length: > 0 } ? roiTensor.ToDoubleArray() : null;
        if (roi is not null && roi.Length != 2 * rank)
        {
            throw context.Error($"roi has {roi.Length} values; expected {2 * rank} for input rank {rank}");
        }

        var outDims = new int[rank];
        var scales = new double[rank];
        if (sizesTensor is { Length: > 0 })
        {
            long[] sizes = sizesTensor.ToInt64Array();
            if (sizes.Length != rank || sizes.Any(s => s < 0 || s > int.MaxValue))
            {
                throw context.Error($"sizes [{string.Join(",", sizes)}] must have {rank} non-negative values for input {x.ShapeString}");
            }

            for (int i = 0; i < rank; i++)
            {
                outDims[i] = (int)sizes[i];
                scales[i] = x.Dims[i] == 0 ? 1 : (double)sizes[i] / x.Dims[i];
            }
        }
        else if (scalesTensor is { Length: > 0 })
        {
            double[] s = scalesTensor.ToDoubleArray();
            if (s.Length != rank || s.Any(v => !(v > 0)))
            {
                throw context.Error($"scales [{string.Join(",", s)}] must have {rank} positive values for input {x.ShapeString}");
            }

            for (int i = 0; i < rank; i++)
            {
                double extent = roi is null ? 1 : roi[i + rank] - roi[i];
                outDims[i] = (int)Math.Floor(x.Dims[i] * s[i] * extent);
                scales[i] = s[i];
            }
        }
        else
        {
            throw context.Error("one of scales and sizes must be given");
        }

        _core.Run(context, x, outDims, scales, roi);
    }
}
