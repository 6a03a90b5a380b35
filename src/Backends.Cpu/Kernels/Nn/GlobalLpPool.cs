using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nn;

/// <summary>
/// GlobalLpPool: Y[n, c, 1, ...] = (sum of |X[n, c, ...]|^p)^(1/p); p is a float attribute in opset 1, an int from
/// opset 2 (https://onnx.ai/onnx/operators/onnx__GlobalLpPool.html).
/// </summary>
internal sealed class GlobalLpPool : IKernel
{
    private readonly double _p;

    public GlobalLpPool(KernelCreationContext ctx)
    {
        _p = ctx.Opset < 2 ? ctx.Attributes.GetFloat("p", 2f) : ctx.Attributes.GetInt("p", 2);
    }

    public void Compute(KernelContext context)
    {
        if (_p <= 0)
        {
            throw context.Error($"p must be positive, got {_p}");
        }

        double p = _p;
        GlobalPool.Run(context, x => (float)Norm(x, p), x => Norm(x, p));
    }

    private static double Norm<T>(ReadOnlySpan<T> x, double p)
        where T : System.Numerics.INumber<T>
    {
        double sum = 0;
        foreach (var v in x)
        {
            double a = Math.Abs(double.CreateChecked(v));
            sum += p == 2 ? a * a : Math.Pow(a, p);
        }

        return p == 2 ? Math.Sqrt(sum) : Math.Pow(sum, 1 / p);
    }
}
