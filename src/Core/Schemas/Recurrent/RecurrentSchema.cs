namespace OpenAutoGlm.Core;

/// <summary>
/// Shape inference for LSTM, GRU and RNN. With D = num_directions (2 when bidirectional) and H = hidden_size
/// (the attribute, else R's last dimension): Y is [seq, D, batch, H] and Y_h/Y_c are [D, batch, H]; with
/// layout = 1 (opset 14+) Y is [batch, seq, D, H] and Y_h/Y_c [batch, D, H]. W [D, gates*H, input] and
/// R [D, gates*H, H] are checked where their dimensions are known (gates: LSTM 4, GRU 3, RNN 1).
/// </summary>
public static class RecurrentSchema
{
    public static void InferLstm(ShapeInferenceContext ctx) => Infer(ctx, 4);

    public static void InferGru(ShapeInferenceContext ctx) => Infer(ctx, 3);

    public static void InferRnn(ShapeInferenceContext ctx) => Infer(ctx, 1);

    private static void Infer(ShapeInferenceContext ctx, int gates)
    {
        string direction = ctx.Attributes.GetString("direction", "forward");
        int dirs = direction switch
        {
            "forward" or "reverse" => 1,
            "bidirectional" => 2,
            _ => throw ctx.Error($"attribute 'direction' must be forward, reverse or bidirectional, got '{direction}'"),
        };
        long layout = ctx.Opset >= 14 ? ctx.Attributes.GetInt("layout", 0) : 0;
        if (layout is not (0 or 1))
        {
            throw ctx.Error($"attribute 'layout' must be 0 or 1, got {layout}");
        }

        var x = ctx.InputShape(0);
        var w = ctx.InputShape(1);
        var r = ctx.InputShape(2);
        Check(ctx, "X", x, 3);
        Check(ctx, "W", w, 3);
        Check(ctx, "R", r, 3);

        Dim hidden = Dim.Unknown;
        if (ctx.Attributes.TryGet("hidden_size", out _))
        {
            long value = ctx.Attributes.GetInt("hidden_size");
            if (value <= 0)
            {
                throw ctx.Error($"attribute 'hidden_size' must be positive, got {value}");
            }

            hidden = Dim.Known(value);
        }
        else if (r is not null)
        {
            hidden = r[2];
        }

        Dim input = x is null ? Dim.Unknown : x[2];
        string expectation = $"num_directions={dirs}, hidden_size={hidden}";
        CheckDims(ctx, "W", w, [dirs, Times(gates, hidden), input], $"[num_directions, {gates}*hidden_size, input_size] with {expectation}, input_size={input}");
        CheckDims(ctx, "R", r, [dirs, Times(gates, hidden), hidden], $"[num_directions, {gates}*hidden_size, hidden_size] with {expectation}");
        if (ctx.HasInput(3))
        {
            var b = ctx.InputShape(3);
            Check(ctx, "B", b, 2);
            CheckDims(ctx, "B", b, [dirs, Times(2 * gates, hidden)], $"[num_directions, {2 * gates}*hidden_size] with {expectation}");
        }

        Dim seq = x is null ? Dim.Unknown : x[layout == 1 ? 1 : 0];
        Dim batch = x is null ? Dim.Unknown : x[layout == 1 ? 0 : 1];
        var type = ctx.InputElementType(0);
        ctx.SetOutput(0, type, layout == 1 ? new Shape(batch, seq, dirs, hidden) : new Shape(seq, dirs, batch, hidden));
        var state = layout == 1 ? new Shape(batch, dirs, hidden) : new Shape(dirs, batch, hidden);
        for (int i = 1; i < ctx.OutputCount; i++)
        {
            ctx.SetOutput(i, type, state);
        }
    }

    private static Dim Times(int factor, Dim d) => d.Value is long v ? Dim.Known(factor * v) : Dim.Unknown;

    private static void Check(ShapeInferenceContext ctx, string name, Shape? shape, int rank)
    {
        if (shape is not null && shape.Rank != rank)
        {
            throw ctx.Error($"input {name} must have rank {rank}, got {shape}");
        }
    }

    private static void CheckDims(ShapeInferenceContext ctx, string name, Shape? shape, Dim[] expected, string meaning)
    {
        if (shape is null)
        {
            return;
        }

        for (int i = 0; i < expected.Length; i++)
        {
            if (shape[i].Value is long actual && expected[i].Value is long wanted && actual != wanted)
            {
                throw ctx.Error($"input {name} has shape {shape}, expected {new Shape(expected)} = {meaning}");
            }
        }
    }
}
