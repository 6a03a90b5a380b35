namespace OpenAutoGlm.Core;

/// <summary>
/// Spatial geometry of a convolution from its attributes (kernel_shape, strides, dilations, pads, auto_pad):
/// out = floor((in + pad_begin + pad_end - ((k - 1) * dilation + 1)) / stride) + 1; SAME_* pads so that
/// out = ceil(in / stride) (extra padding at the end for SAME_UPPER, at the start for SAME_LOWER).
/// </summary>
public sealed class ConvGeometry
{
    private ConvGeometry(int[] kernel, int[] strides, int[] dilations, int[] padsBegin, int[] padsEnd, long?[] output)
    {
        Kernel = kernel;
        Strides = strides;
        Dilations = dilations;
        PadsBegin = padsBegin;
        PadsEnd = padsEnd;
        Output = output;
    }

    public int[] Kernel { get; }

    public int[] Strides { get; }

    public int[] Dilations { get; }

    public int[] PadsBegin { get; }

    public int[] PadsEnd { get; }

    /// <summary>Output spatial sizes; null where the input size is unknown.</summary>
    public long?[] Output { get; }

    /// <summary>
    /// Resolves the geometry for input spatial sizes <paramref name="input"/> (null = unknown) and the weight's
    /// spatial sizes <paramref name="weightKernel"/>; <paramref name="error"/> builds the exception for bad attributes.
    /// </summary>
    public static ConvGeometry Resolve(AttributeCollection attrs, IReadOnlyList<long?> input, IReadOnlyList<long?> weightKernel, Func<string, Exception> error)
    {
        int rank = input.Count;
        long[] kernel = attrs.GetInts("kernel_shape") ?? weightKernel.Select(k => k ?? throw error("kernel_shape is unknown: set the attribute or give the weight a static shape")).ToArray();
        long[] strides = attrs.GetInts("strides") ?? Enumerable.Repeat(1L, rank).ToArray();
        long[] dilations = attrs.GetInts("dilations") ?? Enumerable.Repeat(1L, rank).ToArray();
        long[] pads = attrs.GetInts("pads") ?? new long[2 * rank];
        string autoPad = attrs.GetString("auto_pad", "NOTSET");
        if (kernel.Length != rank || strides.Length != rank || dilations.Length != rank || pads.Length != 2 * rank)
        {
            throw error($"kernel_shape, strides, dilations need {rank} entries and pads {2 * rank} for {rank} spatial dimensions");
        }

        if (kernel.Any(k => k < 1) || strides.Any(s => s < 1) || dilations.Any(d => d < 1) || pads.Any(p => p < 0))
        {
            throw error($"kernel_shape [{string.Join(",", kernel)}], strides [{string.Join(",", strides)}] and dilations [{string.Join(",", dilations)}] must be positive and pads [{string.Join(",", pads)}] non-negative");
        }

        var begin = new int[rank];
        var end = new int[rank];
        var output = new long?[rank];
        for (int d = 0; d < rank; d++)
        {
            long effective = ((kernel[d] - 1) * dilations[d]) + 1;
            switch (autoPad)
            {
                case "NOTSET":
                    begin[d] = (int)pads[d];
                    end[d] = (int)pads[d + rank];
                    if (input[d] is long n)
                    {
                        output[d] = ((n + begin[d] + end[d] - effective) / strides[d]) + 1;
                    }

                    break;
                case "VALID":
                    if (input[d] is long v)
                    {
                        output[d] = ((v - effective) / strides[d]) + 1;
                    }

                    break;
                case "SAME_UPPER" or "SAME_LOWER":
                    if (input[d] is long s)
                    {
                        long o = (s + strides[d] - 1) / strides[d];
                        long total = Math.Max(0, ((o - 1) * strides[d]) + effective - s);
                        begin[d] = (int)(autoPad == "SAME_UPPER" ? total / 2 : total - (total / 2));
                        end[d] = (int)(total - begin[d]);
                        output[d] = o;
                    }

                    break;
                default:
                    throw error($"auto_pad '{autoPad}' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID");
            }

            if (output[d] is < 0)
            {
                throw error($"spatial dimension {d}: input size {input[d]} is too small for kernel extent {effective} with pads {begin[d]}+{end[d]}");
            }
        }

        return new ConvGeometry(
            Array.ConvertAll(kernel, k => (int)k),
            Array.ConvertAll(strides, s => (int)s),
            Array.ConvertAll(dilations, d => (int)d),
            begin,
            end,
            output);
    }

    /// <summary>Conv output shape [N, M, out...] for input x [N, C, in...] and weight w [M, C/group, k...].</summary>
    public static Shape? InferShape(ShapeInferenceContext ctx, int xInput, int wInput)
    {
        var x = ctx.InputShape(xInput);
        var w = ctx.InputShape(wInput);
        if (x is null)
        {
            return null;
        }

        if (x.Rank < 3)
        {
            throw ctx.Error($"input x must be [N, C, spatial...], got shape {x}");
        }

        if (w is not null && w.Rank != x.Rank)
        {
            throw ctx.Error($"weight rank {w.Rank} (shape {w}) does not match input rank {x.Rank} (shape {x})");
        }

        var spatial = x.Skip(2).Select(d => d.Value).ToList();
        var kernel = w is null ? spatial.Select(_ => (long?)null).ToList() : w.Skip(2).Select(d => d.Value).ToList();
        if (!ctx.Attributes.Contains("kernel_shape") && kernel.Any(k => k is null))
        {
            return new Shape(new[] { x[0], w?[0] ?? Dim.Unknown }.Concat(spatial.Select(_ => Dim.Unknown)));
        }

        var geometry = Resolve(ctx.Attributes, spatial, kernel, msg => ctx.Error(msg));
        return new Shape(new[] { x[0], w?[0] ?? Dim.Unknown }.Concat(geometry.Output.Select(o => o is long v ? Dim.Known(v) : Dim.Unknown)));
    }
}
