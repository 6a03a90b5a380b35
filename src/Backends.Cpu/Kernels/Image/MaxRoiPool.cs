using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Image;

/// <summary>
/// MaxRoiPool (https://onnx.ai/onnx/operators/onnx__MaxRoiPool.html), the Caffe/Fast R-CNN RoI pooling that ONNX
/// Runtime implements: roi r = [batch_id, x1, y1, x2, y2] is rounded (half away from zero) to the pixel box
/// [round(x1 * s), round(x2 * s)] x [round(y1 * s), round(y2 * s)] (at least 1x1), split into pooled_shape = (PH, PW)
/// bins of (roi_h / PH) x (roi_w / PW) pixels; bin (ph, pw) covers rows [floor(ph * bin_h), ceil((ph + 1) * bin_h))
/// offset by the roi start and clipped to the image, and yields the maximum there (0 when the clipped bin is empty).
/// </summary>
internal sealed class MaxRoiPool : IKernel
{
    private readonly int _pooledHeight;
    private readonly int _pooledWidth;
    private readonly double _spatialScale;

    public MaxRoiPool(KernelCreationContext context)
    {
        long[] pooled = context.Attributes.GetInts("pooled_shape") ?? throw context.Error("required attribute 'pooled_shape' is missing");
        if (pooled.Length != 2 || pooled[0] < 1 || pooled[1] < 1 || pooled[0] > int.MaxValue || pooled[1] > int.MaxValue)
        {
            throw context.Error($"pooled_shape must be two positive values (height, width), got [{string.Join(", ", pooled)}]");
        }

        (_pooledHeight, _pooledWidth) = ((int)pooled[0], (int)pooled[1]);
        _spatialScale = context.Attributes.GetFloat("spatial_scale", 1f);
    }

    public void Compute(KernelContext context)
    {
        var x = context.Input(0);
        var roisTensor = context.Input(1);
        if (x.Rank != 4 || !x.DataType.IsFloatingPoint())
        {
            throw context.Error($"X must be a 4-D (N, C, H, W) float tensor, got {x.DataType.Name()}{x.ShapeString}");
        }

        if (roisTensor.Rank != 2 || roisTensor.Dims[1] != 5 || roisTensor.DataType != x.DataType)
        {
            throw context.Error($"rois must be [num_rois, 5] (batch_id, x1, y1, x2, y2) of X's type {x.DataType.Name()}, got {roisTensor.DataType.Name()}{roisTensor.ShapeString}");
        }

        int numRois = roisTensor.Dims[0];
        int batch = x.Dims[0];
        int channels = x.Dims[1];
        int height = x.Dims[2];
        int width = x.Dims[3];
        double[] rois = roisTensor.ToDoubleArray();
        var output = context.Output(0, x.DataType, [numRois, channels, _pooledHeight, _pooledWidth]);
        double[] data = x.ToDoubleArray();
        var result = new double[output.Length];
        int bins = _pooledHeight * _pooledWidth;
        for (int r = 0; r < numRois; r++)
        {
            var roi = rois.AsSpan(r * 5, 5);
            if (!(roi[0] >= 0 && roi[0] < batch))
            {
                throw context.Error($"rois[{r}] has batch_id {roi[0]}, out of range for X {x.ShapeString} (batch size {batch})");
            }

            int image = (int)roi[0];
            long startW = (long)Math.Round(roi[1] * _spatialScale, MidpointRounding.AwayFromZero);
            long startH = (long)Math.Round(roi[2] * _spatialScale, MidpointRounding.AwayFromZero);
            long endW = (long)Math.Round(roi[3] * _spatialScale, MidpointRounding.AwayFromZero);
            long endH = (long)Math.Round(roi[4] * _spatialScale, MidpointRounding.AwayFromZero);
            double binH = (double)Math.Max(endH - startH + 1, 1) / _pooledHeight;
            double binW = (double)Math.Max(endW - startW + 1, 1) / _pooledWidth;
            for (int ph = 0; ph < _pooledHeight; ph++)
            {
                long h0 = Math.Clamp((long)Math.Floor(ph * binH) + startH, 0, height);
                long h1 = Math.Clamp((long)Math.Ceiling((ph + 1) * binH) + startH, 0, height);
                for (int pw = 0; pw < _pooledWidth; pw++)
                {
                    long w0 = Math.Clamp((long)Math.Floor(pw * binW) + startW, 0, width);
                    long w1 = Math.Clamp((long)Math.Ceiling((pw + 1) * binW) + startW, 0, width);
                    for (int c = 0; c < channels; c++)
                    {
                        int planeBase = ((image * channels) + c) * height * width;
                        double max = h1 <= h0 || w1 <= w0 ? 0 : double.NegativeInfinity;
                        for (long h = h0; h < h1; h++)
                        {
                            for (long w = w0; w < w1; w++)
                            {
                                max = Math.Max(max, data[planeBase + (h * width) + w]);
                            }
                        }

                        result[(((r * channels) + c) * bins) + (ph * _pooledWidth) + pw] = max;
                    }
                }
            }
        }

        DoubleStore.Store(output, result);
    }
}
