namespace OpenAutoGlm.Core;

/// <summary>
/// Shape arithmetic shared by the Transform schemas and, for the concrete (int) forms, by the CPU kernels,
/// so inference and execution resolve axes, slices and reshapes with the same code.
/// </summary>
public static class TransformShapes
{
    /// <summary>An int list from an attribute (before <paramref name="inputSince"/>) or a constant input (from it on).</summary>
    public static long[]? IntsFromAttributeOrInput(ShapeInferenceContext ctx, string attribute, int input, long inputSince) =>
        ctx.Opset < inputSince ? ctx.Attributes.GetInts(attribute) : ConstantInts(ctx, input);

    /// <summary>A constant integer input as int64 values; null when not constant; a named error when not an integer tensor.</summary>
    public static long[]? ConstantInts(ShapeInferenceContext ctx, int input)
    {
        var t = ctx.ConstantInput(input);
        if (t is null)
        {
            return null;
        }

        if (!t.DataType.IsInteger())
        {
            throw ctx.Error($"input {input} must be an integer tensor, got {t.DataType.Name()}");
        }

        return t.ToInt64Array();
    }

    /// <summary>The length of a 1-D input when its shape is known, else null.</summary>
    public static int? KnownLength(Shape? shape) => shape is { Rank: 1 } && shape[0].Value is long n ? (int)n : null;

    /// <summary>Validates a Transpose permutation (default: reversed axes) against <paramref name="rank"/>.</summary>
    public static int[] ResolvePermutation(long[]? perm, int rank, Func<string, Exception> error)
    {
        var result = new int[rank];
        if (perm is null)
        {
            for (int i = 0; i < rank; i++)
            {
                result[i] = rank - 1 - i;
            }

            return result;
        }

        if (perm.Length != rank)
        {
            throw error($"perm {FormatLongs(perm)} has {perm.Length} entries but the input has rank {rank}");
        }

        var seen = new bool[rank];
        for (int i = 0; i < rank; i++)
        {
            long p = perm[i];
            if (p < 0 || p >= rank || seen[p])
            {
                throw error($"perm {FormatLongs(perm)} is not a permutation of [0, {rank}): entry {i} is {p}");
            }

            seen[p] = true;
            result[i] = (int)p;
        }

        return result;
    }

    /// <summary>Normalizes a possibly negative axis into [0, rank), or throws through <paramref name="error"/>.</summary>
    public static int NormalizeAxis(long axis, int rank, Func<string, Exception> error, string what = "axis")
    {
        if (axis < -rank || axis >= rank)
        {
            throw error($"{what} {axis} is out of range [{-rank}, {rank - 1}] for rank {rank}");
        }

        return (int)(axis < 0 ? axis + rank : axis);
    }

    /// <summary>Normalizes a list of axes against <paramref name="rank"/>; duplicates are an error.</summary>
    public static int[] NormalizeAxes(ReadOnlySpan<long> axes, int rank, Func<string, Exception> error)
    {
        var result = new int[axes.Length];
        for (int i = 0; i < axes.Length; i++)
        {
            result[i] = NormalizeAxis(axes[i], rank, error);
            for (int j = 0; j < i; j++)
            {
                if (result[j] == result[i])
                {
                    throw error($"axes {FormatLongs(axes)} name axis {result[i]} more than once");
                }
            }
        }

        return result;
    }

    /// <summary>
    /// The product of <paramref name="dims"/>: known when all are known; a single symbolic dim times ones
    /// stays that symbol; otherwise unknown.
    /// </summary>
    public static Dim Product(IEnumerable<Dim> dims)
    {
        long known = 1;
        Dim? symbolic = null;
        int unknownCount = 0;
        foreach (var d in dims)
        {
            if (d.Value is long v)
            {
                known *= v;
            }
            else
            {
                unknownCount++;
                symbolic = d;
            }
        }

        if (unknownCount == 0)
        {
            return known;
        }

        if (known == 0)
        {
            return 0;
        }

        return unknownCount == 1 && known == 1 ? symbolic!.Value : Dim.Unknown;
    }

    /// <summary>
    /// Slice normalization (ONNX Slice-13): negative start/end count from the end, then clamp to
    /// [0, dim] for positive steps and [0, dim-1] / [-1, dim-1] for negative ones. Returns the
    /// first index and the element count.
    /// </summary>
    public static (long Start, long Count) NormalizeSlice(long start, long end, long step, long dim)
    {
        if (dim == 0)
        {
            return (0, 0);
        }

        if (start < 0)
        {
            start += dim;
        }

        if (end < 0)
        {
            end += dim;
        }

        long count;
        if (step > 0)
        {
            start = Math.Clamp(start, 0, dim);
            end = Math.Clamp(end, 0, dim);
            count = end > start ? ((end - start - 1) / step) + 1 : 0;
        }
        else
        {
            start = Math.Clamp(start, 0, dim - 1);
            end = Math.Clamp(end, -1, dim - 1);
            count = start > end ? ((start - end - 1) / -step) + 1 : 0;
        }

        return (start, count);
    }

    /// <summary>
    /// Resolves Reshape's requested shape against concrete input dims: 0 copies the input dim (unless
    /// <paramref name="allowZero"/>), -1 is inferred from the element count.
    /// </summary>
    public static int[] ResolveReshape(ReadOnlySpan<long> requested, ReadOnlySpan<int> input, bool allowZero, Func<string, Exception> error)
    {
        long total = 1;
        foreach (int d in input)
        {
            total *= d;
        }

        var dims = new int[requested.Length];
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < requested.Length; i++)
        {
            long r = requested[i];
            if (r == -1)
            {
                if (inferred >= 0)
                {
                    throw error($"shape {FormatLongs(requested)} has more than one -1");
                }

                inferred = i;
                continue;
            }

            if (r < -1)
            {
                throw error($"shape {FormatLongs(requested)} has invalid dimension {r} at index {i}");
            }

            if (r == 0 && !allowZero)
            {
                if (i >= input.Length)
                {
                    throw error($"shape {FormatLongs(requested)} copies dimension {i} (0) but the input {Shape.Format(input)} has rank {input.Length}");
                }

                r = input[i];
            }

            if (r > int.MaxValue)
            {
                throw error($"shape {FormatLongs(requested)} has dimension {r} at index {i}, larger than {int.MaxValue}");
            }

            dims[i] = (int)r;
            known *= r;
        }

        if (inferred >= 0)
        {
            if (allowZero && requested.Contains(0))
            {
                throw error($"shape {FormatLongs(requested)} has both 0 and -1 while allowzero=1");
            }

            if (known == 0 || total % known != 0)
            {
                throw error($"cannot reshape input of shape {Shape.Format(input)} ({total} elements) to {FormatLongs(requested)}: the -1 dimension cannot be inferred");
            }

            dims[inferred] = checked((int)(total / known));
        }
        else if (known != total)
        {
            throw error($"cannot reshape input of shape {Shape.Format(input)} ({total} elements) to {Shape.Format(dims)} ({known} elements; requested {FormatLongs(requested)})");
        }

        return dims;
    }

    /// <summary>Shape inference form of <see cref="ResolveReshape"/>: symbolic input dims are copied by 0 and cancel in -1.</summary>
    public static Shape ResolveReshape(long[] requested, Shape? input, bool allowZero, Func<string, Exception> error)
    {
        if (input is { IsFullyKnown: true })
        {
            return Shape.FromKnown(ResolveReshape(requested, input.ToIntArray(), allowZero, error));
        }

        var dims = new Dim[requested.Length];
        int inferred = -1;
        for (int i = 0; i < requested.Length; i++)
        {
            long r = requested[i];
            if (r == -1)
            {
                if (inferred >= 0)
                {
                    throw error($"shape {FormatLongs(requested)} has more than one -1");
                }

                inferred = i;
            }
            else if (r < -1)
            {
                throw error($"shape {FormatLongs(requested)} has invalid dimension {r} at index {i}");
            }
            else if (r == 0 && !allowZero)
            {
                if (input is not null && i >= input.Rank)
                {
                    throw error($"shape {FormatLongs(requested)} copies dimension {i} (0) but the input {input} has rank {input.Rank}");
                }

                dims[i] = input is null ? Dim.Unknown : input[i];
            }
            else
            {
                dims[i] = r;
            }
        }

        if (inferred >= 0)
        {
            dims[inferred] = input is null ? Dim.Unknown : InferMissing(input, dims, inferred);
        }

        return new Shape(dims);
    }

    /// <summary>input element count / product of the other output dims, cancelling equal symbols on both sides.</summary>
    private static Dim InferMissing(Shape input, Dim[] output, int missing)
    {
        var numerator = new List<string>();
        long num = 1;
        foreach (var d in input)
        {
            if (d.Value is long v)
            {
                num *= v;
            }
            else if (d.Symbol is { } s)
            {
                numerator.Add(s);
            }
            else
            {
                return Dim.Unknown;
            }
        }

        long den = 1;
        for (int i = 0; i < output.Length; i++)
        {
            if (i == missing)
            {
                continue;
            }

            var d = output[i];
            if (d.Value is long v)
            {
                den *= v;
            }
            else if (d.Symbol is { } s && numerator.Remove(s))
            {
                continue;
            }
            else
            {
                return Dim.Unknown;
            }
        }

        if (den == 0 || num % den != 0)
        {
            return Dim.Unknown;
        }

        long value = num / den;
        return numerator.Count switch
        {
            0 => value,
            1 when value == 1 => Dim.Symbolic(numerator[0]),
            _ => Dim.Unknown,
        };
    }

    public static string FormatLongs(ReadOnlySpan<long> values) => "[" + string.Join(",", values.ToArray()) + "]";
}
