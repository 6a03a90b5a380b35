using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Image;

/// <summary>
/// RoiAlign (https://onnx.ai/onnx/operators/onnx__RoiAlign.html), Y [num_rois, C, output_height, output_width].
/// Roi r = [x1, y1, x2, y2] of image batch_indices[r] maps to x1 * spatial_scale - o, ... with o = 0.5 for half_pixel
/// (opset 16 default) and 0 for output_half_pixel (opset 10 behaviour, which also widens rois to at least 1x1).
/// Each output bin averages (avg) or maximizes (max) a grid of sampling_ratio^2 points (adaptive when 0:
/// ceil(roi_height / output_height) x ceil(roi_width / output_width)) at the centres of equal sub-cells, each read by
/// bilinear interpolation: a point beyond [-1, H] x [-1, W] reads 0; otherwise it is clamped into [0, H-1] x [0, W-1].
/// As in the ONNX reference and ONNX Runtime, max mode takes per point the largest weighted corner w_i * v_i, not the
/// interpolated value. Computed in double.
/// </summary>
internal sealed class RoiAlign : IKernel
{
    private readonly bool _max;
    private readonly int _outputHeight;
    private readonly int _outputWidth;
    private readonly int _samplingRatio;
    private readonly double _spatialScale;
    private readonly bool _halfPixel;

    public RoiAlign(KernelCreationContext context)
    {
        var attrs = context.Attributes;
        string mode = attrs.GetString("mode", "avg");
        _max = mode switch
        {
            "avg" => false,
            "max" => true,
            _ => throw context.Error($"mode must be avg or max, got '{mode}'"),
        };
        long height = attrs.GetInt("output_height", 1);
        long width = attrs.GetInt("output_width", 1);
        long sampling = attrs.GetInt("sampling_ratio", 0);
        if (height < 1 || width < 1 || height > int.MaxValue || width > int.MaxValue || sampling < 0 || sampling > int.MaxValue)
        {
            throw context.Error($"output_height ({height}) and output_width ({width}) must be positive and sampling_ratio ({sampling}) non-negative");
        }

        (_outputHeight, _outputWidth, _samplingRatio) = ((int)height, (int)width, (int)sampling);
        _spatialScale = attrs.GetFloat("spatial_scale", 1f);
        string coordinates = attrs.GetString("coordinate_transformation_mode", context.Opset < 16 ? "output_half_pixel" : "half_pixel");
        _halfPixel = coordinates switch
        {
            "half_pixel" => true,
            "output_half_pixel" => false,
            _ => throw context.Error($"coordinate_transformation_mode must be half_pixel or output_half_pixel, got '{coordinates}'"),
        };
    }

    public void Compute(KernelContext context)
    {
        var x = context.Input(0);
        var roisTensor = context.Input(1);
        var indicesTensor = context.Input(2);
        if (x.Rank != 4 || !x.DataType.IsFloatingPoint())
        {
            throw context.Error($"X must be a 4-D (N, C, H, W) float tensor, got {x.DataType.Name()}{x.ShapeString}");
        }

        if (roisTensor.Rank != 2 || roisTensor.Dims[1] != 4 || roisTensor.DataType != x.DataType)
        {
            throw context.Error($"rois must be [num_rois, 4] of X's type {x.DataType.Name()}, got {roisTensor.DataType.Name()}{roisTensor.ShapeString}");
        }

        int numRois = roisTensor.Dims[0];
        if (indicesTensor.Rank != 1 || indicesTensor.Dims[0] != numRois || !indicesTensor.DataType.IsInteger())
        {
            throw context.Error($"batch_indices must be [num_rois={numRois}] integers, got {indicesTensor.DataType.Name()}{indicesTensor.ShapeString}");
        }

        int batch = x.Dims[0];
        int channels = x.Dims[1];
        int height = x.Dims[2];
        int width = x.Dims[3];
        long[] batchIndices = indicesTensor.ToInt64Array();
        for (int r = 0; r < numRois; r++)
        {
            if (batchIndices[r] < 0 || batchIndices[r] >= batch)
            {
                throw context.Error($"batch_indices[{r}] = {batchIndices[r]} is out of range for X {x.ShapeString} (batch size {batch})");
            }
        }

        var output = context.Output(0, x.DataType, [numRois, channels, _outputHeight, _outputWidth]);
        if (output.Length == 0)
        {
            return;
        }

        if (height == 0 || width == 0)
        {
            throw context.Error($"X {x.ShapeString} has an empty spatial axis to pool from");
        }

        double[] data = x.ToDoubleArray();
        double[] rois = roisTensor.ToDoubleArray();
        var result = new double[output.Length];
        int bins = _outputHeight * _outputWidth;
        for (int r = 0; r < numRois; r++)
        {
            var samples = SampleRoi(context, rois.AsSpan(r * 4, 4), height, width, out int perBin);
            int count = Math.Max(perBin, 1);
            for (int c = 0; c < channels; c++)
            {
                var image = data.AsSpan((int)(((batchIndices[r] * channels) + c) * height * width), height * width);
                int outBase = ((r * channels) + c) * bins;
                for (int bin = 0; bin < bins; bin++)
                {
                    double value = 0;
                    for (int s = 0; s < perBin; s++)
                    {
                        var p = samples[(bin * perBin) + s];
                        if (_max)
                        {
                            double corner = Math.Max(Math.Max(p.W1 * image[p.P1], p.W2 * image[p.P2]), Math.Max(p.W3 * image[p.P3], p.W4 * image[p.P4]));
                            value = s == 0 ? corner : Math.Max(value, corner);
                        }
                        else
                        {
                            value += (p.W1 * image[p.P1]) + (p.W2 * image[p.P2]) + (p.W3 * image[p.P3]) + (p.W4 * image[p.P4]);
                        }
                    }

                    result[outBase + bin] = _max ? value : value / count;
                }
            }
        }

        DoubleStore.Store(output, result);
    }

    /// <summary>The bilinear corners and weights of every sampling point of one roi, bin by bin (shared by all channels).</summary>
    private Sample[] SampleRoi(KernelContext context, ReadOnlySpan<double> roi, int height, int width, out int perBin)
    {
        double offset = _halfPixel ? 0.5 : 0;
        double startW = (roi[0] * _spatialScale) - offset;
        double startH = (roi[1] * _spatialScale) - offset;
        double roiWidth = (roi[2] * _spatialScale) - offset - startW;
        double roiHeight = (roi[3] * _spatialScale) - offset - startH;
        if (!_halfPixel)
        {
            roiWidth = Math.Max(roiWidth, 1);
            roiHeight = Math.Max(roiHeight, 1);
        }

        double binH = roiHeight / _outputHeight;
        double binW = roiWidth / _outputWidth;
        int gridH = _samplingRatio > 0 ? _samplingRatio : (int)Math.Max(Math.Ceiling(binH), 0);
        int gridW = _samplingRatio > 0 ? _samplingRatio : (int)Math.Max(Math.Ceiling(binW), 0);
        // In double: an adaptive grid over a huge roi would overflow a long product.
        double total = (double)_outputHeight * _outputWidth * gridH * gridW;
        if (total > Array.MaxLength / 8)
        {
            throw context.Error($"roi [{string.Join(", ", roi.ToArray())}] needs {gridH}x{gridW} sampling points per bin; set sampling_ratio");
        }

        perBin = gridH * gridW;
        var samples = new Sample[_outputHeight * _outputWidth * perBin];
        int index = 0;
        for (int ph = 0; ph < _outputHeight; ph++)
        {
            for (int pw = 0; pw < _outputWidth; pw++)
            {
                for (int iy = 0; iy < gridH; iy++)
                {
                    double y = startH + (ph * binH) + ((iy + 0.5) * binH / gridH);
                    for (int ix = 0; ix < gridW; ix++)
                    {
                        double xx = startW + (pw * binW) + ((ix + 0.5) * binW / gridW);
                        samples[index++] = Bilinear(y, xx, height, width);
                    }
                }
            }
        }

        return samples;
    }

    private static Sample Bilinear(double y, double x, int height, int width)
    {
        if (y < -1 || y > height || x < -1 || x > width)
        {
            return default;
        }

        y = Math.Max(y, 0);
        x = Math.Max(x, 0);
        int yLow = (int)y;
        int xLow = (int)x;
        int yHigh = yLow + 1;
        int xHigh = xLow + 1;
        if (yLow >= height - 1)
        {
            yHigh = yLow = height - 1;
            y = yLow;
        }

        if (xLow >= width - 1)
        {
            xHigh = xLow = width - 1;
            x = xLow;
        }

        double ly = y - yLow;
        double lx = x - xLow;
        double hy = 1 - ly;
        double hx = 1 - lx;
        return new Sample(
            (yLow * width) + xLow, (yLow * width) + xHigh, (yHigh * width) + xLow, (yHigh * width) + xHigh,
            hy * hx, hy * lx, ly * hx, ly * lx);
    }

    private readonly record struct Sample(int P1, int P2, int P3, int P4, double W1, double W2, double W3, double W4);
}
