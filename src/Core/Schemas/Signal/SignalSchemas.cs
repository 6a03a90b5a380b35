namespace OpenAutoGlm.Core;

/// <summary>Shape inference of DFT, STFT, the cosine windows and MelWeightMatrix.</summary>
public static class SignalSchemas
{
    /// <summary>
    /// DFT: the input shape with the last axis 2 (complex) and the transformed axis n (or n/2 + 1 when onesided),
    /// n = dft_length or the axis length. Opset 17: axis attribute (default 1); opset 20: optional input 2 (default -2).
    /// </summary>
    public static void InferDft(ShapeInferenceContext ctx)
    {
        var type = ctx.InputElementType(0);
        var shape = ctx.InputShape(0);
        if (shape is null)
        {
            ctx.SetOutput(0, type, null);
            return;
        }

        int rank = shape.Rank;
        if (rank < 2 || shape[^1].Value is long last && last is not (1 or 2))
        {
            throw ctx.Error($"input must be [..., 1] (real) or [..., 2] (complex) with rank >= 2, got shape {shape}");
        }

        var dims = shape.ToArray();
        dims[^1] = 2;
        long? axisValue = ctx.Opset < 20 ? ctx.Attributes.GetInt("axis", 1) : ctx.HasInput(2) ? ConstantScalar(ctx, 2) : -2;
        if (axisValue is not long a)
        {
            // The axis is only known at run time: every signal axis may change.
            ctx.SetOutput(0, type, new Shape(dims.Select((d, i) => i == rank - 1 ? d : Dim.Unknown)));
            return;
        }

        if (a < -rank || a > rank - 2 || a == -1)
        {
            throw ctx.Error($"axis {a} is out of range for input {shape}: it must be in [{-rank}, {rank - 2}] and not the complex-parts axis");
        }

        int axis = (int)(a < 0 ? a + rank : a);
        long? n = ctx.HasInput(1) ? ConstantScalar(ctx, 1) : shape[axis].Value;
        if (n is < 1)
        {
            throw ctx.Error($"the DFT length must be positive, got {n}");
        }

        bool onesided = ctx.Attributes.GetInt("onesided", 0) != 0;
        dims[axis] = n is long length ? (onesided ? (length / 2) + 1 : length) : Dim.Unknown;
        ctx.SetOutput(0, type, new Shape(dims));
    }

    /// <summary>STFT: [batch, frames, bins, 2], frames = 1 + (L - n) / frame_step, bins = n/2 + 1 (onesided) or n.</summary>
    public static void InferStft(ShapeInferenceContext ctx)
    {
        var type = ctx.InputElementType(0);
        var shape = ctx.InputShape(0);
        if (shape is not null && (shape.Rank != 3 || shape[2].Value is long last && last is not (1 or 2)))
        {
            throw ctx.Error($"signal must be [batch, length, 1 or 2], got shape {shape}");
        }

        var window = ctx.InputShape(2);
        if (window is not null && window.Rank != 1)
        {
            throw ctx.Error($"window must be 1-D, got shape {window}");
        }

        long? step = ConstantScalar(ctx, 1);
        if (step is < 1)
        {
            throw ctx.Error($"frame_step must be positive, got {step}");
        }

        Dim signalLength = shape?[1] ?? Dim.Unknown;
        long? n = ctx.HasInput(3) ? ConstantScalar(ctx, 3) : ctx.HasInput(2) ? window?[0].Value : signalLength.Value;
        if (ctx.HasInput(3) && n is long given && window?[0].Value is long windowLength && windowLength != given)
        {
            throw ctx.Error($"frame_length {given} differs from the window length {windowLength}");
        }

        if (n is long fl && (fl < 1 || (signalLength.Value is long l && fl > l)))
        {
            throw ctx.Error($"frame_length must be in [1, signal length {signalLength}], got {fl}");
        }

        Dim frames = n is long f && step is long s && signalLength.Value is long len ? 1 + ((len - f) / s) : Dim.Unknown;
        bool onesided = ctx.Attributes.GetInt("onesided", 1) != 0;
        Dim bins = n is long b ? (onesided ? (b / 2) + 1 : b) : Dim.Unknown;
        ctx.SetOutput(0, type, new Shape(shape?[0] ?? Dim.Unknown, frames, bins, 2));
    }

    /// <summary>HannWindow / HammingWindow / BlackmanWindow: [size] of output_datatype (float32 by default).</summary>
    public static void InferWindow(ShapeInferenceContext ctx)
    {
        var type = OutputDataType(ctx);
        long? size = ConstantScalar(ctx, 0);
        if (size is < 0)
        {
            throw ctx.Error($"size must be non-negative, got {size}");
        }

        ctx.SetOutput(0, type, new Shape(size is long n ? n : Dim.Unknown));
    }

    /// <summary>MelWeightMatrix: [dft_length/2 + 1, num_mel_bins] of output_datatype (float32 by default).</summary>
    public static void InferMelWeightMatrix(ShapeInferenceContext ctx)
    {
        var type = OutputDataType(ctx);
        long? mels = ConstantScalar(ctx, 0);
        long? dftLength = ConstantScalar(ctx, 1);
        if (mels is < 1 || dftLength is < 1)
        {
            throw ctx.Error($"num_mel_bins ({mels}) and dft_length ({dftLength}) must be positive");
        }

        ctx.SetOutput(0, type, new Shape(dftLength is long n ? (n / 2) + 1 : Dim.Unknown, mels is long m ? m : Dim.Unknown));
    }

    private static DataType OutputDataType(ShapeInferenceContext ctx)
    {
        var type = (DataType)ctx.Attributes.GetInt("output_datatype", (long)DataType.Float32);
        if (!type.IsNumeric())
        {
            throw ctx.Error($"output_datatype must be a numeric type, got {type.Name()}");
        }

        return type;
    }

    /// <summary>The value of a constant one-element integer input, or null when it is not known.</summary>
    private static long? ConstantScalar(ShapeInferenceContext ctx, int index)
    {
        var t = ctx.ConstantInput(index);
        if (t is null)
        {
            return null;
        }

        if (t.Length != 1 || t.Rank > 1 || !t.DataType.IsInteger())
        {
            throw ctx.Error($"input {index} must be an integer scalar, got {t.DataType.Name()}{t.ShapeString}");
        }

        return t.ToInt64Array()[0];
    }
}
