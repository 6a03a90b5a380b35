namespace OpenAutoGlm.Core;

/// <summary>The ONNX <c>auto_pad</c> attribute of Conv, ConvTranspose and the pooling ops.</summary>
public enum AutoPad
{
    NotSet,
    SameUpper,
    SameLower,
    Valid,
}

/// <summary>
/// Spatial attributes shared by Conv, ConvTranspose, the pooling ops and MaxUnpool, parsed once, plus the
/// output-size arithmetic of the ONNX spec. Both shape inference and the CPU kernels use it, so the shapes
/// they compute cannot disagree.
/// </summary>
public sealed class ConvGeometry
{
    private ConvGeometry(AttributeCollection a, string opType)
    {
        OpType = opType;
        KernelShape = a.GetInts("kernel_shape");
        Strides = a.GetInts("strides");
        Dilations = a.GetInts("dilations");
        Pads = a.GetInts("pads");
        OutputPadding = a.GetInts("output_padding");
        OutputShape = a.GetInts("output_shape");
        CeilMode = a.GetInt("ceil_mode", 0) != 0;
        string autoPad = a.GetString("auto_pad", "NOTSET");
        AutoPad = autoPad switch
        {
            "NOTSET" or "" => AutoPad.NotSet,
            "SAME_UPPER" => AutoPad.SameUpper,
            "SAME_LOWER" => AutoPad.SameLower,
            "VALID" => AutoPad.Valid,
            _ => throw new GraphValidationException($"{opType}: auto_pad '{autoPad}' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID"),
        };
    }

    public string OpType { get; }

    public long[]? KernelShape { get; }

    public long[]? Strides { get; }

    public long[]? Dilations { get; }

    /// <summary>[x1_begin, x2_begin, ..., x1_end, x2_end, ...] as written in the model (null when absent).</summary>
    public long[]? Pads { get; }

    public long[]? OutputPadding { get; }

    public long[]? OutputShape { get; }

    public bool CeilMode { get; }

    public AutoPad AutoPad { get; }

    public static ConvGeometry Parse(Node node) => new(node.Attributes, node.OpType);

    /// <summary>Checks that every per-axis attribute has <paramref name="spatialRank"/> entries (pads twice that); returns an error or null.</summary>
    public string? Validate(int spatialRank, bool kernelRequired)
    {
        if (kernelRequired && KernelShape is null)
        {
            return "attribute kernel_shape is required";
        }

        if (KernelShape is not null && KernelShape.Length != spatialRank)
        {
            return $"kernel_shape has {KernelShape.Length} values but the input has {spatialRank} spatial dimensions";
        }

        if (Strides is not null && Strides.Length != spatialRank)
        {
            return $"strides has {Strides.Length} values but the input has {spatialRank} spatial dimensions";
        }

        if (Dilations is not null && Dilations.Length != spatialRank)
        {
            return $"dilations has {Dilations.Length} values but the input has {spatialRank} spatial dimensions";
        }

        if (Pads is not null && Pads.Length != 2 * spatialRank)
        {
            return $"pads has {Pads.Length} values but needs {2 * spatialRank} (begin and end for {spatialRank} spatial dimensions)";
        }

        if (OutputPadding is not null && OutputPadding.Length != spatialRank)
        {
            return $"output_padding has {OutputPadding.Length} values but the input has {spatialRank} spatial dimensions";
        }

        foreach (long s in Strides ?? [])
        {
            if (s <= 0)
            {
                return $"strides must be positive, got [{string.Join(",", Strides!)}]";
            }
        }

        foreach (long d in Dilations ?? [])
        {
            if (d <= 0)
            {
                return $"dilations must be positive, got [{string.Join(",", Dilations!)}]";
            }
        }

        foreach (long k in KernelShape ?? [])
        {
            if (k <= 0)
            {
                return $"kernel_shape must be positive, got [{string.Join(",", KernelShape!)}]";
            }
        }

        foreach (long p in Pads ?? [])
        {
            if (p < 0)
            {
                return $"pads must be non-negative, got [{string.Join(",", Pads!)}]";
            }
        }

        return null;
    }

    public long Stride(int axis) => Strides?[axis] ?? 1;

    public long Dilation(int axis) => Dilations?[axis] ?? 1;

    public long PadBegin(int axis) => Pads?[axis] ?? 0;

    public long PadEnd(int axis, int spatialRank) => Pads?[axis + spatialRank] ?? 0;

    /// <summary>
    /// Output size and effective pads of one spatial axis of a convolution or pooling window:
    /// out = floor_or_ceil((in + padBegin + padEnd - ((k - 1) * d + 1)) / s) + 1, or the auto_pad rules.
    /// </summary>
    public (long Output, long PadBegin, long PadEnd) Forward(int axis, int spatialRank, long input, long kernel)
    {
        long s = Stride(axis);
        long effectiveKernel = ((kernel - 1) * Dilation(axis)) + 1;
        switch (AutoPad)
        {
            case AutoPad.Valid:
                return (input < effectiveKernel ? 0 : ((input - effectiveKernel) / s) + 1, 0, 0);
            case AutoPad.SameUpper:
            case AutoPad.SameLower:
            {
                long output = (input + s - 1) / s;
                long total = Math.Max(0, ((output - 1) * s) + effectiveKernel - input);
                long small = total / 2;
                return AutoPad == AutoPad.SameUpper ? (output, small, total - small) : (output, total - small, small);
            }

            default:
            {
                long pb = PadBegin(axis);
                long pe = PadEnd(axis, spatialRank);
                long span = input + pb + pe - effectiveKernel;
                if (span < 0)
                {
                    return (0, pb, pe);
                }

                long output = CeilMode ? ((span + s - 1) / s) + 1 : (span / s) + 1;

                // With ceil_mode the last window must still start inside the input or the begin padding.
                if (CeilMode && (output - 1) * s >= input + pb)
                {
                    output--;
                }

                return (output, pb, pe);
            }
        }
    }

    /// <summary>
    /// Output size and effective pads of one spatial axis of ConvTranspose:
    /// out = s * (in - 1) + output_padding + ((k - 1) * d + 1) - padBegin - padEnd, or derived from
    /// output_shape / auto_pad (pads then follow the spec's total_padding split).
    /// </summary>
    public (long Output, long PadBegin, long PadEnd) Transpose(int axis, int spatialRank, long input, long kernel)
    {
        long s = Stride(axis);
        long effectiveKernel = ((kernel - 1) * Dilation(axis)) + 1;
        long outputPadding = OutputPadding?[axis] ?? 0;
        long full = (s * (input - 1)) + outputPadding + effectiveKernel;
        long? target = null;
        if (OutputShape is not null)
        {
            // output_shape lists the spatial sizes; some exporters write the full [N, C, ...] shape.
            target = OutputShape.Length == spatialRank ? OutputShape[axis]
                : OutputShape.Length == spatialRank + 2 ? OutputShape[axis + 2]
                : throw new GraphValidationException($"{OpType}: output_shape has {OutputShape.Length} values but the input has {spatialRank} spatial dimensions");
        }
        else if (AutoPad is AutoPad.SameUpper or AutoPad.SameLower)
        {
            target = input * s;
        }

        if (target is long outSize)
        {
            // The spec's total_padding / 2 is Python floor division: a negative total (output_shape larger than the
            // natural size) leaves pads[start] at 0 and extends the end.
            long total = full - outSize;
            long small = total >> 1;
            return AutoPad == AutoPad.SameUpper ? (outSize, small, total - small) : (outSize, total - small, small);
        }

        if (AutoPad == AutoPad.Valid)
        {
            return (full, 0, 0);
        }

        long pb = PadBegin(axis);
        long pe = PadEnd(axis, spatialRank);
        return (full - pb - pe, pb, pe);
    }
}
