using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Misc;

/// <summary>
/// TfIdfVectorizer: counts the pool's n-grams (min_gram_length..max_gram_length items taken every skip + 1 positions,
/// skip in 0..max_skip_count; unigrams counted once) in each row and writes Y[ngram_indexes[i]] = count (TF),
/// min(count, 1) * weights[i] (IDF) or count * weights[i] (TFIDF) (https://onnx.ai/onnx/operators/onnx__TfIdfVectorizer.html).
/// </summary>
internal sealed class TfIdfVectorizer : IKernel
{
    private readonly int _minGram;
    private readonly int _maxGram;
    private readonly int _maxSkip;
    private readonly string _mode;
    private readonly int _width;
    private readonly int[] _outputIndex;
    private readonly float[] _weights;
    private readonly bool _strings;

    // n-gram (items joined with '\u0001') -> ordinal i in the pool.
    private readonly Dictionary<string, int> _pool = new(StringComparer.Ordinal);

    public TfIdfVectorizer(KernelCreationContext context)
    {
        var attrs = context.Attributes;
        _minGram = (int)attrs.GetInt("min_gram_length");
        _maxGram = (int)attrs.GetInt("max_gram_length");
        _maxSkip = (int)attrs.GetInt("max_skip_count");
        _mode = attrs.GetString("mode");
        if (_minGram < 1 || _maxGram < _minGram || _maxSkip < 0 || _mode is not ("TF" or "IDF" or "TFIDF"))
        {
            throw context.Error($"invalid attributes: min_gram_length {_minGram}, max_gram_length {_maxGram}, max_skip_count {_maxSkip}, mode '{_mode}'");
        }

        long[] counts = attrs.GetInts("ngram_counts") ?? throw context.Error("required attribute 'ngram_counts' is missing");
        long[] indexes = attrs.GetInts("ngram_indexes") ?? throw context.Error("required attribute 'ngram_indexes' is missing");
        string[]? poolStrings = attrs.GetStrings("pool_strings");
        long[]? poolInts = attrs.GetInts("pool_int64s");
        if ((poolStrings is null) == (poolInts is null))
        {
            throw context.Error("exactly one of pool_strings and pool_int64s must be set");
        }

        _strings = poolStrings is not null;
        string[] pool = poolStrings ?? Array.ConvertAll(poolInts!, v => v.ToString(System.Globalization.CultureInfo.InvariantCulture));
        int ordinal = 0;
        for (int level = 0; level < counts.Length; level++)
        {
            int n = level + 1;
            long start = counts[level];
            long end = level + 1 < counts.Length ? counts[level + 1] : pool.Length;
            if (start < 0 || end > pool.Length || start > end || (end - start) % n != 0)
            {
                throw context.Error($"ngram_counts [{string.Join(",", counts)}] does not split a pool of {pool.Length} items into whole {n}-grams");
            }

            for (long p = start; p < end; p += n)
            {
                _pool.TryAdd(string.Join('\u0001', pool, (int)p, n), ordinal++);
            }
        }

        if (indexes.Length != ordinal || indexes.Any(i => i < 0))
        {
            throw context.Error($"ngram_indexes has {indexes.Length} entries for {ordinal} n-grams in the pool (or a negative index)");
        }

        _outputIndex = Array.ConvertAll(indexes, i => (int)i);
        _width = indexes.Length == 0 ? 0 : (int)indexes.Max() + 1;
        _weights = attrs.GetFloats("weights") ?? Enumerable.Repeat(1f, ordinal).ToArray();
        if (_weights.Length != ordinal)
        {
            throw context.Error($"weights has {_weights.Length} entries for {ordinal} n-grams in the pool");
        }
    }

    public void Compute(KernelContext context)
    {
        var x = context.Input(0);
        if (_strings != (x.DataType == DataType.String) || (!_strings && x.DataType is not (DataType.Int32 or DataType.Int64)))
        {
            throw context.Error($"input of type {x.DataType.Name()} does not match a pool of {(_strings ? "strings" : "int64s")}");
        }

        if (x.Rank is not (1 or 2))
        {
            throw context.Error($"input must be [C] or [N, C], got shape {x.ShapeString}");
        }

        int rows = x.Rank == 1 ? 1 : x.Dims[0];
        int cols = x.Dims[^1];
        string[] items = x is StringTensor s ? s.Data : Array.ConvertAll(x.ToInt64Array(), v => v.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var y = new float[rows * _width];
        var counts = new int[_outputIndex.Length];
        for (int r = 0; r < rows; r++)
        {
            Array.Clear(counts);
            var row = items.AsSpan(r * cols, cols);
            for (int n = _minGram; n <= _maxGram; n++)
            {
                // Unigrams do not depend on the skip: count them once.
                int skips = n == 1 ? 0 : _maxSkip;
                for (int skip = 0; skip <= skips; skip++)
                {
                    int step = skip + 1;
                    for (int start = 0; start + ((n - 1) * step) < cols; start++)
                    {
                        var gram = new string[n];
                        for (int k = 0; k < n; k++)
                        {
                            gram[k] = row[start + (k * step)];
                        }

                        if (_pool.TryGetValue(string.Join('\u0001', gram), out int ordinal))
                        {
                            counts[ordinal]++;
                        }
                    }
                }
            }

            for (int i = 0; i < counts.Length; i++)
            {
                float value = _mode switch
                {
                    "TF" => counts[i],
                    "IDF" => counts[i] > 0 ? _weights[i] : 0,
                    _ => counts[i] * _weights[i],
                };
                y[(r * _width) + _outputIndex[i]] += value;
            }
        }

        int[] dims = x.Rank == 1 ? [_width] : [rows, _width];
        y.CopyTo(context.Output<float>(0, dims).Span);
    }
}
