using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace OpenAutoGlm.Core;

/// <summary>
/// A node's attributes by name, with typed getters that raise <see cref="GraphValidationException"/>
/// naming the node, op and attribute when an attribute has the wrong kind or a required one is missing.
/// </summary>
public sealed class AttributeCollection : IEnumerable<NodeAttribute>
{
    private readonly Dictionary<string, NodeAttribute> _items = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    internal Node? Owner { get; set; }

    public int Count => _items.Count;

    public NodeAttribute this[string name] => _items[name];

    public bool Contains(string name) => _items.ContainsKey(name);

    public bool TryGet(string name, [NotNullWhen(true)] out NodeAttribute? attribute) => _items.TryGetValue(name, out attribute);

    public void Set(NodeAttribute attribute)
    {
        if (!_items.ContainsKey(attribute.Name))
        {
            _order.Add(attribute.Name);
        }

        _items[attribute.Name] = attribute;
    }

    public bool Remove(string name) => _items.Remove(name) && _order.Remove(name);

    public long GetInt(string name, long defaultValue) => TryGet(name, out var a) ? Expect<long>(a, AttributeKind.Int) : defaultValue;

    public long GetInt(string name) => Expect<long>(Require(name), AttributeKind.Int);

    public float GetFloat(string name, float defaultValue) => TryGet(name, out var a) ? Expect<float>(a, AttributeKind.Float) : defaultValue;

    public float GetFloat(string name) => Expect<float>(Require(name), AttributeKind.Float);

    public string GetString(string name, string defaultValue) => TryGet(name, out var a) ? Expect<string>(a, AttributeKind.String) : defaultValue;

    public string GetString(string name) => Expect<string>(Require(name), AttributeKind.String);

    public long[]? GetInts(string name) => TryGet(name, out var a) ? Expect<long[]>(a, AttributeKind.Ints) : null;

    public float[]? GetFloats(string name) => TryGet(name, out var a) ? Expect<float[]>(a, AttributeKind.Floats) : null;

    public string[]? GetStrings(string name) => TryGet(name, out var a) ? Expect<string[]>(a, AttributeKind.Strings) : null;

    public Tensor? GetTensor(string name) => TryGet(name, out var a) ? Expect<Tensor>(a, AttributeKind.Tensor) : null;

    public Graph? GetGraph(string name) => TryGet(name, out var a) ? Expect<Graph>(a, AttributeKind.Graph) : null;

    public Graph GetRequiredGraph(string name) => Expect<Graph>(Require(name), AttributeKind.Graph);

    public IEnumerator<NodeAttribute> GetEnumerator() => _order.Select(n => _items[n]).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private NodeAttribute Require(string name) =>
        TryGet(name, out var a) ? a : throw new GraphValidationException($"{Describe()}: required attribute '{name}' is missing");

    private T Expect<T>(NodeAttribute a, AttributeKind kind)
    {
        // Some exporters write an int where a float is expected (and vice versa); accept the lossless cases.
        if (a.Kind == kind && a.Value is T t)
        {
            return t;
        }

        if (kind == AttributeKind.Float && a.Kind == AttributeKind.Int && a.Value is long l)
        {
            return (T)(object)(float)l;
        }

        if (kind == AttributeKind.Ints && a.Kind == AttributeKind.Int && a.Value is long one)
        {
            return (T)(object)new[] { one };
        }

        if (kind == AttributeKind.Floats && a.Kind == AttributeKind.Float && a.Value is float f)
        {
            return (T)(object)new[] { f };
        }

        throw new GraphValidationException($"{Describe()}: attribute '{a.Name}' is {a.Kind}, expected {kind}");
    }

    private string Describe() => Owner is null ? "attribute" : $"node '{Owner.Name}' ({Owner.OpType})";
}
