using System.Runtime.CompilerServices;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nn;

/// <summary>
/// The resolved geometry of one Conv / ConvTranspose / pooling call: spatial sizes of input, output and kernel,
/// strides, dilations and effective begin/end pads (auto_pad applied), all per spatial axis.
/// </summary>
internal sealed class ConvPlan
{
    /// <summary>
    /// The last forward plan per geometry (one geometry per node): a node called again with the same input and kernel
    /// dims reuses it, so steady-state runs allocate no plan. Entries are immutable and swapped atomically (kernels are
    /// shared by concurrent runs); the table holds geometries weakly.
    /// </summary>
    private static readonly ConditionalWeakTable<ConvGeometry, ForwardEntry> s_lastForward = new();

    private ConvPlan(int[] input, int[] output, int[] kernel, int[] strides, int[] dilations, int[] padsBegin, int[] padsEnd)
    {
        Input = input;
        Output = output;
        Kernel = kernel;
        Strides = strides;
        Dilations = dilations;
        PadsBegin = padsBegin;
        PadsEnd = padsEnd;
        InputSize = Product(input);
        OutputSize = Product(output);
        KernelSize = Product(kernel);
    }

    public int[] Input { get; }

    public int[] Output { get; }

    public int[] Kernel { get; }

    public int[] Strides { get; }

    public int[] Dilations { get; }

    public int[] PadsBegin { get; }

    public int[] PadsEnd { get; }

    public int InputSize { get; }

    public int OutputSize { get; }

    public int KernelSize { get; }

    public int Rank => Input.Length;

    /// <summary>True for a 1x1 kernel with unit strides and no padding: the input already is the im2col matrix.</summary>
    public bool IsPointwise => KernelSize == 1 && Array.TrueForAll(Strides, s => s == 1) && Array.TrueForAll(PadsBegin, p => p == 0) && Array.TrueForAll(PadsEnd, p => p == 0);

    /// <summary>Resolves a forward (convolution or pooling window) geometry; <paramref name="kernel"/> comes from W when kernel_shape is absent.</summary>
    public static ConvPlan Forward(KernelContext ctx, ConvGeometry g, ReadOnlySpan<int> xDims, ReadOnlySpan<int> kernelFromWeights, bool kernelRequired)
    {
        if (s_lastForward.TryGetValue(g, out var last) && last.Matches(xDims, kernelFromWeights, kernelRequired))
        {
            return last.Plan;
        }

        var plan = Resolve(ctx, g, xDims, kernelFromWeights, kernelRequired);
        s_lastForward.AddOrUpdate(g, new ForwardEntry(xDims.ToArray(), kernelFromWeights.ToArray(), kernelRequired, plan));
        return plan;
    }

    private static ConvPlan Resolve(KernelContext ctx, ConvGeometry g, ReadOnlySpan<int> xDims, ReadOnlySpan<int> kernelFromWeights, bool kernelRequired)
    {
        int rank = xDims.Length - 2;
        if (g.Validate(rank, kernelRequired) is { } error)
        {
            throw ctx.Error(error);
        }

        var plan = Allocate(rank, xDims, g, kernelFromWeights);
        for (int i = 0; i < rank; i++)
        {
            var (output, pb, pe) = g.Forward(i, rank, plan.Input[i], plan.Kernel[i]);
            if (output <= 0)
            {
                throw ctx.Error($"the window (kernel {Shape.Format(plan.Kernel)}, dilations {Shape.Format(plan.Dilations)}) does not fit input {Shape.Format(xDims)} with pads [{string.Join(",", g.Pads ?? [])}] (output dimension {i + 2} would be {output})");
            }

            plan.Output[i] = checked((int)output);
            plan.PadsBegin[i] = checked((int)pb);
            plan.PadsEnd[i] = checked((int)pe);
        }

        return plan.Seal();
    }

    /// <summary>Whether the kernel_shape attribute equals W's spatial dims (no allocation: checked every call).</summary>
    public static bool KernelShapeMatches(long[] kernelShape, ReadOnlySpan<int> weightSpatialDims)
    {
        if (kernelShape.Length != weightSpatialDims.Length)
        {
            return false;
        }

        for (int i = 0; i < kernelShape.Length; i++)
        {
            if (kernelShape[i] != weightSpatialDims[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Resolves a ConvTranspose geometry (output_shape / output_padding / auto_pad rules of the spec).</summary>
    public static ConvPlan Transpose(KernelContext ctx, ConvGeometry g, ReadOnlySpan<int> xDims, ReadOnlySpan<int> kernelFromWeights)
    {
        int rank = xDims.Length - 2;
        if (g.Validate(rank, kernelRequired: false) is { } error)
        {
            throw ctx.Error(error);
        }

        var plan = Allocate(rank, xDims, g, kernelFromWeights);
        for (int i = 0; i < rank; i++)
        {
            var (output, pb, pe) = g.Transpose(i, rank, plan.Input[i], plan.Kernel[i]);
            if (output <= 0)
            {
                throw ctx.Error($"output spatial dimension {i} would be {output} for input {Shape.Format(xDims)}");
            }

            plan.Output[i] = checked((int)output);
            plan.PadsBegin[i] = checked((int)pb);
            plan.PadsEnd[i] = checked((int)pe);
        }

        return plan.Seal();
    }

    private static ConvPlan Allocate(int rank, ReadOnlySpan<int> xDims, ConvGeometry g, ReadOnlySpan<int> kernelFromWeights)
    {
        var kernel = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            kernel[i] = g.KernelShape is { } ks ? checked((int)ks[i]) : kernelFromWeights[i];
        }

        return new ConvPlan(
            xDims[2..].ToArray(),
            new int[rank],
            kernel,
            Enumerable.Range(0, rank).Select(i => checked((int)g.Stride(i))).ToArray(),
            Enumerable.Range(0, rank).Select(i => checked((int)g.Dilation(i))).ToArray(),
            new int[rank],
            new int[rank]);
    }

    // Sizes are derived from the arrays, which Allocate leaves unfilled: recompute once they are.
    private ConvPlan Seal() => new(Input, Output, Kernel, Strides, Dilations, PadsBegin, PadsEnd);

    private static int Product(int[] dims)
    {
        long p = 1;
        foreach (int d in dims)
        {
            p *= d;
        }

        return checked((int)p);
    }

    private sealed class ForwardEntry(int[] xDims, int[] kernel, bool kernelRequired, ConvPlan plan)
    {
        public ConvPlan Plan { get; } = plan;

        public bool Matches(ReadOnlySpan<int> x, ReadOnlySpan<int> k, bool required) =>
            required == kernelRequired && x.SequenceEqual(xDims) && k.SequenceEqual(kernel);
    }
}
