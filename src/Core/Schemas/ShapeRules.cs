namespace OpenAutoGlm.Core;

/// <summary>Reusable shape-inference building blocks shared by op families.</summary>
public static class ShapeRules
{
    /// <summary>Output 0 has input 0's type (unary elementwise ops).</summary>
    public static void SameAsInput0(ShapeInferenceContext ctx) => ctx.SetOutput(0, ctx.InputType(0));

    /// <summary>Output 0 has input 0's shape and element type bool (IsNaN, IsInf).</summary>
    public static void SameShapeAsInput0Bool(ShapeInferenceContext ctx) => ctx.SetOutput(0, DataType.Bool, ctx.InputShape(0));

    /// <summary>Every output i has input 0's type.</summary>
    public static void AllSameAsInput0(ShapeInferenceContext ctx)
    {
        for (int i = 0; i < ctx.OutputCount; i++)
        {
            ctx.SetOutput(i, ctx.InputType(0));
        }
    }

    /// <summary>Numpy-style multidirectional broadcast of all present inputs; element type of input 0.</summary>
    public static void BroadcastInputs(ShapeInferenceContext ctx) =>
        ctx.SetOutput(0, FirstKnownElementType(ctx), BroadcastAll(ctx));

    /// <summary>Broadcast of all present inputs with a bool result (comparisons).</summary>
    public static void BroadcastToBool(ShapeInferenceContext ctx) => ctx.SetOutput(0, DataType.Bool, BroadcastAll(ctx));

    /// <summary>The element type of the first input whose type is known.</summary>
    public static DataType FirstKnownElementType(ShapeInferenceContext ctx)
    {
        for (int i = 0; i < ctx.InputCount; i++)
        {
            var t = ctx.InputElementType(i);
            if (t != DataType.Undefined)
            {
                return t;
            }
        }

        return DataType.Undefined;
    }

    public static Shape? BroadcastAll(ShapeInferenceContext ctx)
    {
        Shape? result = null;
        bool first = true;
        for (int i = 0; i < ctx.InputCount; i++)
        {
            if (!ctx.HasInput(i))
            {
                continue;
            }

            var s = ctx.InputShape(i);
            if (s is null)
            {
                return null;
            }

            result = first ? s : Broadcast(result!, s, ctx);
            first = false;
        }

        return result;
    }

    /// <summary>Multidirectional broadcast of two shapes; unknown dims stay unknown unless the other side decides.</summary>
    public static Shape Broadcast(Shape a, Shape b, ShapeInferenceContext? ctx = null)
    {
        int rank = Math.Max(a.Rank, b.Rank);
        var dims = new Dim[rank];
        for (int i = 0; i < rank; i++)
        {
            Dim da = i < rank - a.Rank ? 1 : a[i - (rank - a.Rank)];
            Dim db = i < rank - b.Rank ? 1 : b[i - (rank - b.Rank)];
            if (da.Value == 1)
            {
                dims[i] = db;
            }
            else if (db.Value == 1)
            {
                dims[i] = da;
            }
            else if (da.IsKnown && db.IsKnown)
            {
                if (da.Value != db.Value)
                {
                    string msg = $"shapes {a} and {b} cannot be broadcast (dimension {i}: {da} vs {db})";
                    throw ctx is null ? new ShapeInferenceException(msg) : ctx.Error(msg);
                }

                dims[i] = da;
            }
            else if (da.IsKnown)
            {
                dims[i] = da;
            }
            else if (db.IsKnown)
            {
                dims[i] = db;
            }
            else
            {
                dims[i] = da == db ? da : Dim.Unknown;
            }
        }

        return new Shape(dims);
    }

    /// <summary>Concrete broadcast for run time; throws <see cref="ShapeInferenceException"/> on mismatch.</summary>
    public static int[] Broadcast(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        var dims = new int[Math.Max(a.Length, b.Length)];
        Broadcast(a, b, dims);
        return dims;
    }

    /// <summary>
    /// As <see cref="Broadcast(ReadOnlySpan{int}, ReadOnlySpan{int})"/> into <paramref name="dims"/>, which must be
    /// max(rank a, rank b) long (kernels pass stack memory, so a steady-state run allocates nothing).
    /// </summary>
    public static void Broadcast(ReadOnlySpan<int> a, ReadOnlySpan<int> b, Span<int> dims)
    {
        int rank = Math.Max(a.Length, b.Length);
        if (dims.Length != rank)
        {
            throw new ArgumentException($"destination has {dims.Length} dims, broadcasting ranks {a.Length} and {b.Length} gives {rank}", nameof(dims));
        }

        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1)
            {
                throw new ShapeInferenceException($"shapes {Shape.Format(a)} and {Shape.Format(b)} cannot be broadcast (dimension {i}: {da} vs {db})");
            }

            dims[i] = da == 1 ? db : da;
        }
    }

    /// <summary>A shape of known rank with every dimension unknown.</summary>
    public static Shape UnknownDims(int rank) => new(Enumerable.Repeat(Dim.Unknown, rank));
}
