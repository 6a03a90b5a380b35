using System.Collections;

namespace OpenAutoGlm.Core;

/// <summary>
/// A (possibly partly symbolic) tensor shape of known rank. An unknown rank is represented by a null
/// <see cref="Shape"/> reference wherever a shape is optional.
/// </summary>
public sealed class Shape : IReadOnlyList<Dim>, IEquatable<Shape>
{
    private readonly Dim[] _dims;

    public Shape(params Dim[] dims) => _dims = (Dim[])dims.Clone();

    public Shape(IEnumerable<Dim> dims) => _dims = dims.ToArray();

    public static Shape Scalar { get; } = new();

    public static Shape FromKnown(ReadOnlySpan<int> dims)
    {
        var d = new Dim[dims.Length];
        for (int i = 0; i < dims.Length; i++)
        {
            d[i] = dims[i];
        }

        return new Shape(d);
    }

    public static Shape FromKnown(ReadOnlySpan<long> dims)
    {
        var d = new Dim[dims.Length];
        for (int i = 0; i < dims.Length; i++)
        {
            d[i] = dims[i];
        }

        return new Shape(d);
    }

    public int Rank => _dims.Length;

    public int Count => _dims.Length;

    public Dim this[int index] => _dims[index];

    /// <summary>True when every dimension has a known size.</summary>
    public bool IsFullyKnown => Array.TrueForAll(_dims, d => d.IsKnown);

    /// <summary>The element count when every dimension is known, otherwise null.</summary>
    public long? ElementCount
    {
        get
        {
            long n = 1;
            foreach (var d in _dims)
            {
                if (d.Value is not long v)
                {
                    return null;
                }

                n *= v;
            }

            return n;
        }
    }

    /// <summary>The sizes as ints; throws when a dimension is unknown.</summary>
    public int[] ToIntArray()
    {
        var result = new int[_dims.Length];
        for (int i = 0; i < _dims.Length; i++)
        {
            result[i] = checked((int)(_dims[i].Value ?? throw new InvalidOperationException($"dimension {i} of shape {this} is not known")));
        }

        return result;
    }

    public IEnumerator<Dim> GetEnumerator() => ((IEnumerable<Dim>)_dims).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _dims.GetEnumerator();

    public bool Equals(Shape? other) => other is not null && _dims.AsSpan().SequenceEqual(other._dims);

    public override bool Equals(object? obj) => Equals(obj as Shape);

    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var d in _dims)
        {
            h.Add(d);
        }

        return h.ToHashCode();
    }

    public override string ToString() => "[" + string.Join(",", _dims.Select(d => d.ToString())) + "]";

    /// <summary>Formats concrete dims the same way as <see cref="ToString"/> does: <c>[1,3,224,224]</c>.</summary>
    public static string Format(ReadOnlySpan<int> dims)
    {
        var parts = new string[dims.Length];
        for (int i = 0; i < dims.Length; i++)
        {
            parts[i] = dims[i].ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return "[" + string.Join(",", parts) + "]";
    }
}
