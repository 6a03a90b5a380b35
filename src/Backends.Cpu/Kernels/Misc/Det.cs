using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Misc;

/// <summary>Det: y[...] = det(x[..., :, :]) by LU decomposition with partial pivoting in float64 (https://onnx.ai/onnx/operators/onnx__Det.html).</summary>
internal sealed class Det : IKernel
{
    public void Compute(KernelContext context)
    {
        var x = context.Input(0);
        if (!x.DataType.IsFloatingPoint())
        {
            throw context.Error($"input must be floating point, got {x.DataType.Name()}");
        }

        if (x.Rank < 2 || x.Dims[^1] != x.Dims[^2])
        {
            throw context.Error($"input must be [*, M, M] (square matrices), got shape {x.ShapeString}");
        }

        int n = x.Dims[^1];
        int[] outDims = x.DimsArray()[..^2];
        int matrices = AxisOps.Product(outDims);
        double[] values = x.ToDoubleArray();
        var result = new double[matrices];
        var a = new double[n * n];
        for (int m = 0; m < matrices; m++)
        {
            Array.Copy(values, m * n * n, a, 0, n * n);
            result[m] = Determinant(a, n);
        }

        DoubleStore.Store(context.Output(0, x.DataType, outDims), result);
    }

    // Gaussian elimination in place: det = sign(permutation) * product of the pivots.
    private static double Determinant(double[] a, int n)
    {
        double det = 1;
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < n; r++)
            {
                if (Math.Abs(a[(r * n) + col]) > Math.Abs(a[(pivot * n) + col]))
                {
                    pivot = r;
                }
            }

            if (a[(pivot * n) + col] == 0)
            {
                return 0;
            }

            if (pivot != col)
            {
                for (int k = 0; k < n; k++)
                {
                    (a[(col * n) + k], a[(pivot * n) + k]) = (a[(pivot * n) + k], a[(col * n) + k]);
                }

                det = -det;
            }

            double p = a[(col * n) + col];
            det *= p;
            for (int r = col + 1; r < n; r++)
            {
                double f = a[(r * n) + col] / p;
                for (int k = col; k < n; k++)
                {
                    a[(r * n) + k] -= f * a[(col * n) + k];
                }
            }
        }

        return det;
    }
}
