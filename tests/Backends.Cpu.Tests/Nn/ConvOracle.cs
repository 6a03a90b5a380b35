namespace OpenAutoGlm.Backends.Cpu.Tests.Nn;

/// <summary>
/// Per-axis window geometry written from the ONNX spec text (independent of ConvGeometry): output size and begin pad
/// of a convolution / pooling axis, and of a ConvTranspose axis.
/// </summary>
internal static class ConvOracle
{
    /// <summary>Output size and begin pad of one forward axis.</summary>
    public static (int Output, int PadBegin) Forward(string autoPad, int input, int kernel, int stride, int dilation, int padBegin, int padEnd, bool ceil = false)
    {
        int ek = ((kernel - 1) * dilation) + 1;
        switch (autoPad)
        {
            case "VALID":
                return (((input - ek) / stride) + 1, 0);
            case "SAME_UPPER":
            case "SAME_LOWER":
            {
                int output = (int)Math.Ceiling(input / (double)stride);
                int total = Math.Max(0, ((output - 1) * stride) + ek - input);
                return (output, autoPad == "SAME_UPPER" ? total / 2 : total - (total / 2));
            }

            default:
            {
                double q = (input + padBegin + padEnd - ek) / (double)stride;
                int output = (int)(ceil ? Math.Ceiling(q) : Math.Floor(q)) + 1;

                // ceil_mode: a window may not start in the end padding.
                if (ceil && (output - 1) * stride >= input + padBegin)
                {
                    output--;
                }

                return (output, padBegin);
            }
        }
    }

    /// <summary>
    /// Naive N-D convolution: Y[n, m, o] = B[m] + sum_{c, kk} W[m, c, kk] * X[n, g * C/group + c, o * s - pb + kk * d]
    /// over in-bounds input positions. Arrays are flat row-major; dims give the shapes.
    /// </summary>
    public static double[] Conv(double[] x, int[] xDims, double[] w, int[] wDims, double[]? bias, int group, int[] strides, int[] dilations, int[] padsBegin, int[] yDims)
    {
        int rank = xDims.Length - 2;
        int cg = wDims[1], mg = wDims[0] / group;
        var y = new double[NnTestData.Product(yDims)];
        var kernel = wDims[2..];
        int kernelSize = NnTestData.Product(kernel);
        for (int i = 0; i < y.Length; i++)
        {
            int[] yc = NnTestData.Unravel(i, yDims);
            int n = yc[0], m = yc[1], g = m / mg;
            double sum = bias?[m] ?? 0;
            for (int c = 0; c < cg; c++)
            {
                for (int kk = 0; kk < kernelSize; kk++)
                {
                    int[] kc = NnTestData.Unravel(kk, kernel);
                    var xc = new int[rank + 2];
                    xc[0] = n;
                    xc[1] = (g * cg) + c;
                    bool inside = true;
                    for (int d = 0; d < rank; d++)
                    {
                        xc[d + 2] = (yc[d + 2] * strides[d]) - padsBegin[d] + (kc[d] * dilations[d]);
                        inside &= xc[d + 2] >= 0 && xc[d + 2] < xDims[d + 2];
                    }

                    if (inside)
                    {
                        sum += w[NnTestData.Linear(wDims, [m, c, .. kc])] * x[NnTestData.Linear(xDims, xc)];
                    }
                }
            }

            y[i] = sum;
        }

        return y;
    }
}
