namespace OpenAutoGlm.Core;

/// <summary>
/// A parsed Einsum equation resolved against the input ranks. Every axis of every operand carries a label id:
/// ids [0, EllipsisRank) are the broadcast dims of "..." (right-aligned across operands, numpy style), the
/// letters follow. Implicit form: output = ellipsis dims, then the letters seen exactly once, sorted.
/// </summary>
public sealed class EinsumEquation
{
    private EinsumEquation(int[][] inputLabels, int[] outputLabels, int labelCount, int ellipsisRank, char[] letters)
    {
        InputLabels = inputLabels;
        OutputLabels = outputLabels;
        LabelCount = labelCount;
        EllipsisRank = ellipsisRank;
        Letters = letters;
    }

    /// <summary>Per input, the label id of each axis.</summary>
    public int[][] InputLabels { get; }

    /// <summary>The label id of each output axis.</summary>
    public int[] OutputLabels { get; }

    public int LabelCount { get; }

    /// <summary>How many dims "..." stands for (the largest over the operands).</summary>
    public int EllipsisRank { get; }

    /// <summary>The letter of each label id from <see cref="EllipsisRank"/> on.</summary>
    public IReadOnlyList<char> Letters { get; }

    public string LabelName(int label) => label < EllipsisRank ? $"...[{label}]" : $"'{Letters[label - EllipsisRank]}'";

    /// <summary>Parses <paramref name="equation"/> for inputs of the given ranks; throws <see cref="FormatException"/> naming the problem.</summary>
    public static EinsumEquation Parse(string equation, IReadOnlyList<int> inputRanks)
    {
        string eq = equation.Replace(" ", string.Empty, StringComparison.Ordinal);
        int arrow = eq.IndexOf("->", StringComparison.Ordinal);
        string lhs = arrow < 0 ? eq : eq[..arrow];
        string? rhs = arrow < 0 ? null : eq[(arrow + 2)..];
        string[] terms = lhs.Split(',');
        if (terms.Length != inputRanks.Count)
        {
            throw new FormatException($"equation '{equation}' has {terms.Length} operand terms but there are {inputRanks.Count} inputs");
        }

        var parsed = new List<(List<char> Before, bool Ellipsis, List<char> After)>();
        int ellipsisRank = 0;
        for (int t = 0; t < terms.Length; t++)
        {
            var term = SplitTerm(terms[t], equation);
            int letters = term.Before.Count + term.After.Count;
            if (term.Ellipsis)
            {
                if (inputRanks[t] < letters)
                {
                    throw new FormatException($"term '{terms[t]}' of equation '{equation}' names {letters} axes but input {t} has rank {inputRanks[t]}");
                }

                ellipsisRank = Math.Max(ellipsisRank, inputRanks[t] - letters);
            }
            else if (letters != inputRanks[t])
            {
                throw new FormatException($"term '{terms[t]}' of equation '{equation}' names {letters} axes but input {t} has rank {inputRanks[t]}");
            }

            parsed.Add(term);
        }

        var letterIds = new Dictionary<char, int>();
        var letterList = new List<char>();
        var counts = new Dictionary<char, int>();
        int Id(char c)
        {
            if (!letterIds.TryGetValue(c, out int id))
            {
                id = ellipsisRank + letterList.Count;
                letterIds[c] = id;
                letterList.Add(c);
            }

            return id;
        }

        var inputLabels = new int[terms.Length][];
        for (int t = 0; t < terms.Length; t++)
        {
            var (before, ellipsis, after) = parsed[t];
            var labels = new List<int>();
            foreach (char c in before)
            {
                labels.Add(Id(c));
                counts[c] = counts.GetValueOrDefault(c) + 1;
            }

            if (ellipsis)
            {
                int e = inputRanks[t] - before.Count - after.Count;
                for (int i = 0; i < e; i++)
                {
                    labels.Add(ellipsisRank - e + i);
                }
            }

            foreach (char c in after)
            {
                labels.Add(Id(c));
                counts[c] = counts.GetValueOrDefault(c) + 1;
            }

            inputLabels[t] = [.. labels];
        }

        var output = new List<int>();
        if (rhs is null)
        {
            for (int i = 0; i < ellipsisRank; i++)
            {
                output.Add(i);
            }

            foreach (char c in counts.Where(kv => kv.Value == 1).Select(kv => kv.Key).OrderBy(c => c))
            {
                output.Add(letterIds[c]);
            }
        }
        else
        {
            var (before, ellipsis, after) = SplitTerm(rhs, equation);
            foreach (char c in before.Concat(after))
            {
                if (!letterIds.ContainsKey(c))
                {
                    throw new FormatException($"output label '{c}' of equation '{equation}' does not appear in any input term");
                }
            }

            var seen = new HashSet<char>();
            foreach (char c in before.Concat(after))
            {
                if (!seen.Add(c))
                {
                    throw new FormatException($"output label '{c}' appears twice in equation '{equation}'");
                }
            }

            output.AddRange(before.Select(c => letterIds[c]));
            if (ellipsis)
            {
                for (int i = 0; i < ellipsisRank; i++)
                {
                    output.Add(i);
                }
            }
            else if (ellipsisRank > 0)
            {
                throw new FormatException($"equation '{equation}' uses '...' in the inputs but not in the explicit output");
            }

            output.AddRange(after.Select(c => letterIds[c]));
        }

        return new EinsumEquation(inputLabels, [.. output], ellipsisRank + letterList.Count, ellipsisRank, [.. letterList]);
    }

    private static (List<char> Before, bool Ellipsis, List<char> After) SplitTerm(string term, string equation)
    {
        var before = new List<char>();
        var after = new List<char>();
        bool ellipsis = false;
        for (int i = 0; i < term.Length; i++)
        {
            char c = term[i];
            if (c == '.')
            {
                if (ellipsis || i + 2 >= term.Length || term[i + 1] != '.' || term[i + 2] != '.')
                {
                    throw new FormatException($"malformed ellipsis in term '{term}' of equation '{equation}'");
                }

                ellipsis = true;
                i += 2;
            }
            else if (char.IsAsciiLetter(c))
            {
                (ellipsis ? after : before).Add(c);
            }
            else
            {
                throw new FormatException($"character '{c}' in term '{term}' of equation '{equation}' is not a letter or '...'");
            }
        }

        return (before, ellipsis, after);
    }

    /// <summary>
    /// The size of every label given the input dims (null where unknown); throws <see cref="FormatException"/> when
    /// two axes with one label disagree (ellipsis dims may broadcast from 1).
    /// </summary>
    public long?[] LabelSizes(IReadOnlyList<IReadOnlyList<long?>> inputDims)
    {
        var sizes = new long?[LabelCount];
        for (int t = 0; t < InputLabels.Length; t++)
        {
            for (int a = 0; a < InputLabels[t].Length; a++)
            {
                int label = InputLabels[t][a];
                long? d = inputDims[t][a];
                if (d is not long v)
                {
                    continue;
                }

                if (sizes[label] is not long existing || (existing == 1 && label < EllipsisRank))
                {
                    sizes[label] = v;
                }
                else if (existing != v && !(v == 1 && label < EllipsisRank))
                {
                    throw new FormatException($"label {LabelName(label)} has size {existing} in one place and {v} in input {t} axis {a}");
                }
            }
        }

        return sizes;
    }
}
