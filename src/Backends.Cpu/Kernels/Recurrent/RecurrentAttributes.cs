using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Recurrent;

internal enum RecurrentDirection
{
    Forward,
    Reverse,
    Bidirectional,
}

/// <summary>
/// The attributes LSTM, GRU and RNN share, parsed once when the kernel is created: direction, hidden_size,
/// layout (opset 14+; 1 = batch-first X/Y/states), clip and the activation list of every direction.
/// Opset 1-6's output_sequence only said whether Y may be produced; Y is written whenever it is requested.
/// </summary>
internal sealed class RecurrentAttributes
{
    public RecurrentAttributes(KernelCreationContext ctx, string[] defaultActivations)
    {
        string direction = ctx.Attributes.GetString("direction", "forward");
        Direction = direction switch
        {
            "forward" => RecurrentDirection.Forward,
            "reverse" => RecurrentDirection.Reverse,
            "bidirectional" => RecurrentDirection.Bidirectional,
            _ => throw ctx.Error($"attribute 'direction' must be forward, reverse or bidirectional, got '{direction}'"),
        };
        Directions = Direction == RecurrentDirection.Bidirectional ? 2 : 1;

        long hidden = ctx.Attributes.GetInt("hidden_size", -1);
        if (ctx.Attributes.TryGet("hidden_size", out _) && (hidden <= 0 || hidden > int.MaxValue))
        {
            throw ctx.Error($"attribute 'hidden_size' must be positive, got {hidden}");
        }

        HiddenSize = (int)hidden;

        long layout = ctx.Opset >= 14 ? ctx.Attributes.GetInt("layout", 0) : 0;
        if (layout is not (0 or 1))
        {
            throw ctx.Error($"attribute 'layout' must be 0 or 1, got {layout}");
        }

        BatchFirst = layout == 1;

        if (ctx.Attributes.TryGet("clip", out _))
        {
            float clip = ctx.Attributes.GetFloat("clip");
            if (!(clip >= 0))
            {
                throw ctx.Error($"attribute 'clip' must be a non-negative threshold, got {clip}");
            }

            Clip = clip;
        }

        Activations = RecurrentActivations.Parse(ctx, defaultActivations, Directions);
    }

    public RecurrentDirection Direction { get; }

    /// <summary>2 for bidirectional, 1 otherwise.</summary>
    public int Directions { get; }

    /// <summary>The hidden_size attribute, or -1 when absent (then R's last dimension decides).</summary>
    public int HiddenSize { get; }

    /// <summary>layout = 1: X [batch, seq, input], Y [batch, seq, dirs, hidden], states [batch, dirs, hidden].</summary>
    public bool BatchFirst { get; }

    /// <summary>The clip threshold applied to every gate pre-activation, or null for no clipping.</summary>
    public float? Clip { get; }

    /// <summary>The activations of direction 0 followed by those of direction 1 (bidirectional).</summary>
    public RecurrentActivation[] Activations { get; }

    /// <summary>Whether direction <paramref name="d"/> walks each sequence from its last valid step to its first.</summary>
    public bool IsReverse(int d) => Direction == RecurrentDirection.Reverse || d == 1;
}
