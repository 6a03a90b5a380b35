using System.Globalization;

namespace OpenAutoGlm.Cli.Npy;

/// <summary>
/// The header dictionary of a .npy file, e.g. <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (3, 4), }</c>:
/// a Python literal with string keys whose values are strings, booleans or tuples of integers.
/// </summary>
internal sealed record NpyHeader(string Descr, bool FortranOrder, long[] Shape)
{
    /// <summary>Formats the dictionary the way numpy does: <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (3, 4), }</c>.</summary>
    public string Format()
    {
        // Python tuple repr: (), (3,), (3, 4).
        string dims = string.Join(", ", Shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));
        string tuple = Shape.Length == 1 ? $"({dims},)" : $"({dims})";
        return $"{{'descr': '{Descr}', 'fortran_order': {(FortranOrder ? "True" : "False")}, 'shape': {tuple}, }}";
    }

    /// <summary>Parses the header text; <paramref name="fail"/> builds the exception for a message.</summary>
    public static NpyHeader Parse(string text, Func<string, Exception> fail)
    {
        var parser = new LiteralParser(text, fail);
        var dict = parser.ParseDictionary();
        if (!dict.TryGetValue("descr", out var descr))
        {
            throw fail("header has no 'descr' key");
        }

        if (descr is not string descrText)
        {
            throw fail(descr is List<object?> ? "structured (record) dtypes are not supported" : "header 'descr' is not a string");
        }

        if (!dict.TryGetValue("fortran_order", out var fortran) || fortran is not bool fortranOrder)
        {
            throw fail("header has no boolean 'fortran_order' key");
        }

        if (!dict.TryGetValue("shape", out var shape) || shape is not List<object?> dims || dims.Any(d => d is not long))
        {
            throw fail("header has no 'shape' tuple of integers");
        }

        var shapeArray = dims.Cast<long>().ToArray();
        if (shapeArray.Any(d => d < 0))
        {
            throw fail($"negative dimension in shape ({string.Join(", ", shapeArray)})");
        }

        return new NpyHeader(descrText, fortranOrder, shapeArray);
    }

    /// <summary>Recursive-descent parser for the Python literal subset numpy writes.</summary>
    private sealed class LiteralParser
    {
        private readonly string _text;
        private readonly Func<string, Exception> _fail;
        private int _pos;

        public LiteralParser(string text, Func<string, Exception> fail)
        {
            _text = text;
            _fail = fail;
        }

        public Dictionary<string, object?> ParseDictionary()
        {
            var result = new Dictionary<string, object?>(StringComparer.Ordinal);
            Expect('{');
            while (true)
            {
                SkipSpace();
                if (TryConsume('}'))
                {
                    break;
                }

                if (ParseValue() is not string key)
                {
                    throw Fail("dictionary key is not a string");
                }

                Expect(':');
                result[key] = ParseValue();
                SkipSpace();
                if (TryConsume(','))
                {
                    continue;
                }

                Expect('}');
                break;
            }

            SkipSpace();
            if (_pos != _text.Length)
            {
                throw Fail($"unexpected text after the dictionary at offset {_pos}");
            }

            return result;
        }

        private object? ParseValue()
        {
            SkipSpace();
            if (_pos >= _text.Length)
            {
                throw Fail("header ends inside the dictionary");
            }

            char c = _text[_pos];
            if (c is '\'' or '"')
            {
                return ParseString(c);
            }

            if (c is '(' or '[')
            {
                return ParseSequence(c == '(' ? ')' : ']');
            }

            if (c == '{')
            {
                throw Fail("nested dictionaries are not supported");
            }

            int start = _pos;
            while (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] is '-' or '+' or '_'))
            {
                _pos++;
            }

            string word = _text[start.._pos];
            switch (word)
            {
                case "True":
                    return true;
                case "False":
                    return false;
                case "None":
                    return null;
            }

            // Python 2 wrote long integers with an L suffix: (3L, 4L).
            string digits = word.EndsWith('L') ? word[..^1] : word;
            if (long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
            {
                return value;
            }

            throw Fail(word.Length == 0 ? $"unexpected character '{c}' at offset {start}" : $"unexpected token '{word}' at offset {start}");
        }

        private string ParseString(char quote)
        {
            int start = ++_pos;
            int end = _text.IndexOf(quote, start);
            if (end < 0)
            {
                throw Fail("unterminated string in header");
            }

            _pos = end + 1;
            return _text[start..end];
        }

        private List<object?> ParseSequence(char close)
        {
            _pos++;
            var items = new List<object?>();
            while (true)
            {
                SkipSpace();
                if (TryConsume(close))
                {
                    return items;
                }

                items.Add(ParseValue());
                SkipSpace();
                if (!TryConsume(','))
                {
                    Expect(close);
                    return items;
                }
            }
        }

        private void SkipSpace()
        {
            while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos]))
            {
                _pos++;
            }
        }

        private bool TryConsume(char c)
        {
            if (_pos < _text.Length && _text[_pos] == c)
            {
                _pos++;
                return true;
            }

            return false;
        }

        private void Expect(char c)
        {
            SkipSpace();
            if (!TryConsume(c))
            {
                throw Fail(_pos < _text.Length ? $"expected '{c}' at offset {_pos}, found '{_text[_pos]}'" : $"expected '{c}' but the header ended");
            }
        }

        private Exception Fail(string message) => _fail($"malformed header: {message}");
    }
}
