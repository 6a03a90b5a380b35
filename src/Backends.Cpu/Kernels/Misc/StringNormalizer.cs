using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Misc;

/// <summary>
/// StringNormalizer: drops stopwords (case-insensitively unless is_case_sensitive) from a [C] or [1, C] string tensor,
/// then applies case_change_action (LOWER, UPPER, NONE); an empty result is [""] (https://onnx.ai/onnx/operators/onnx__StringNormalizer.html).
/// Case mapping is culture-invariant (the process runs with invariant globalization; the locale attribute is not used).
/// </summary>
internal sealed class StringNormalizer : IKernel
{
    private readonly HashSet<string> _stopwords;
    private readonly string _action;

    public StringNormalizer(KernelCreationContext context)
    {
        var attrs = context.Attributes;
        _action = attrs.GetString("case_change_action", "NONE");
        if (_action is not ("LOWER" or "UPPER" or "NONE"))
        {
            throw context.Error($"case_change_action must be LOWER, UPPER or NONE, got '{_action}'");
        }

        bool caseSensitive = attrs.GetInt("is_case_sensitive", 0) != 0;
        _stopwords = new HashSet<string>(attrs.GetStrings("stopwords") ?? [], caseSensitive ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase);
    }

    public void Compute(KernelContext context)
    {
        var x = context.Input(0);
        if (x is not StringTensor strings)
        {
            throw context.Error($"input must be a string tensor, got {x.DataType.Name()}");
        }

        if (x.Rank is not (1 or 2) || (x.Rank == 2 && x.Dims[0] != 1))
        {
            throw context.Error($"input must be [C] or [1, C], got shape {x.ShapeString}");
        }

        var kept = strings.Data.Where(s => !_stopwords.Contains(s)).Select(s => _action switch
        {
            "LOWER" => s.ToLowerInvariant(),
            "UPPER" => s.ToUpperInvariant(),
            _ => s,
        }).ToArray();
        if (kept.Length == 0)
        {
            kept = [string.Empty];
        }

        int[] dims = x.Rank == 1 ? [kept.Length] : [1, kept.Length];
        context.SetOutput(0, new StringTensor(kept, dims));
    }
}
