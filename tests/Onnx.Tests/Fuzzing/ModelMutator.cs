using Google.Protobuf;
using Google.Protobuf.Reflection;
using OpenAutoGlm.Onnx.Protos;

namespace OpenAutoGlm.Onnx.Tests.Fuzzing;

/// <summary>
/// Seeded mutations of a serialized model. Byte-level mutations (truncation, bit flips, random bytes, huge
/// varints, duplicated or zeroed regions) mostly exercise the protobuf parser; structural mutations parse the
/// model and change one field anywhere in the message tree through protobuf reflection (extreme integers,
/// unknown enum values, hostile strings, cleared or duplicated sub-messages), which reaches the importer.
/// Every mutation returns a description so a failure can be reproduced from the seed.
/// </summary>
internal sealed class ModelMutator
{
    private static readonly long[] s_interestingInts =
    [
        0, 1, -1, 2, 255, 256, 65535, int.MaxValue, int.MinValue, (long)int.MaxValue + 1, uint.MaxValue,
        1L << 40, long.MaxValue, long.MinValue, -(1L << 40), 17, 100, 1000,
    ];

    private static readonly string[] s_interestingStrings =
    [
        string.Empty, "..", "../../etc/passwd", "/etc/passwd", "a\0b", "x", "ai.onnx", "com.microsoft",
        "location", "offset", "length", "If", "Loop", "Constant", "\uFFFD", new string('z', 5000),
    ];

    /// <summary>A 64-byte file the fuzz folder holds for external data to point at.</summary>
    public const string DataFile = "data.bin";

    /// <summary>A link in the fuzz folder to a file outside it.</summary>
    public const string EscapingLink = "escape.bin";

    private readonly Random _rng;
    private readonly MessageParser _parser;

    /// <summary>Mutates serialized <paramref name="parser"/> messages (ModelProto when null).</summary>
    public ModelMutator(int seed, MessageParser? parser = null)
    {
        _rng = new Random(seed);
        _parser = parser ?? ModelProto.Parser;
    }

    public (byte[] Bytes, string Description) Mutate(byte[] original)
    {
        int choice = _rng.Next(11);
        return choice switch
        {
            0 => Truncate(original),
            1 => FlipBits(original),
            2 => RandomBytes(original),
            3 => HugeVarint(original),
            4 => DuplicateRegion(original),
            5 => ZeroRegion(original),
            6 => ExternalData(original),
            _ => Structural(original),
        };
    }

    private (byte[], string) Truncate(byte[] b)
    {
        int at = _rng.Next(b.Length);
        return (b[..at], $"truncate at {at}");
    }

    private (byte[], string) FlipBits(byte[] b)
    {
        var copy = (byte[])b.Clone();
        int n = 1 + _rng.Next(8);
        var where = new List<string>();
        for (int i = 0; i < n; i++)
        {
            int at = _rng.Next(copy.Length);
            int bit = _rng.Next(8);
            copy[at] ^= (byte)(1 << bit);
            where.Add($"{at}.{bit}");
        }

        return (copy, $"flip bits {string.Join(",", where)}");
    }

    private (byte[], string) RandomBytes(byte[] b)
    {
        var copy = (byte[])b.Clone();
        int at = _rng.Next(copy.Length);
        int n = Math.Min(1 + _rng.Next(16), copy.Length - at);
        _rng.NextBytes(copy.AsSpan(at, n));
        return (copy, $"random bytes [{at}, {at + n})");
    }

    /// <summary>Overwrites (or inserts) a 5- or 10-byte varint of a huge value: a length, count, dim or tag gone wild.</summary>
    private (byte[], string) HugeVarint(byte[] b)
    {
        ulong value = _rng.Next(4) switch
        {
            0 => uint.MaxValue,
            1 => ulong.MaxValue,
            2 => (ulong)int.MaxValue + (ulong)_rng.Next(2),
            _ => 1UL << _rng.Next(31, 63),
        };
        var varint = new List<byte>();
        ulong v = value;
        do
        {
            byte next = (byte)(v & 0x7F);
            v >>= 7;
            varint.Add(v != 0 ? (byte)(next | 0x80) : next);
        }
        while (v != 0);

        int at = _rng.Next(b.Length);
        bool insert = _rng.Next(2) == 0;
        var result = new List<byte>(b.Length + varint.Count);
        result.AddRange(b.AsSpan(0, at));
        result.AddRange(varint);
        result.AddRange(b.AsSpan(insert ? at : Math.Min(b.Length, at + varint.Count)));
        return (result.ToArray(), $"{(insert ? "insert" : "overwrite")} varint {value} at {at}");
    }

    private (byte[], string) DuplicateRegion(byte[] b)
    {
        int start = _rng.Next(b.Length);
        int n = Math.Min(1 + _rng.Next(256), b.Length - start);
        int at = _rng.Next(b.Length + 1);
        var result = new List<byte>(b.Length + n);
        result.AddRange(b.AsSpan(0, at));
        result.AddRange(b.AsSpan(start, n));
        result.AddRange(b.AsSpan(at));
        return (result.ToArray(), $"duplicate [{start}, {start + n}) at {at}");
    }

    private (byte[], string) ZeroRegion(byte[] b)
    {
        var copy = (byte[])b.Clone();
        int at = _rng.Next(copy.Length);
        int n = Math.Min(1 + _rng.Next(64), copy.Length - at);
        copy.AsSpan(at, n).Clear();
        return (copy, $"zero [{at}, {at + n})");
    }

    private (byte[], string) Structural(byte[] b)
    {
        var model = _parser.ParseFrom(b);
        var done = new List<string>();
        int count = 1 + (_rng.Next(4) == 0 ? _rng.Next(1, 3) : 0);
        for (int i = 0; i < count; i++)
        {
            // Re-collect after each change: a cleared or replaced message takes its fields with it.
            var sites = new List<(IMessage Message, FieldDescriptor Field, string Path)>();
            Collect(model, "model", sites);
            var (message, field, path) = sites[_rng.Next(sites.Count)];
            done.Add($"{path}.{field.Name}: {MutateField(message, field)}");
        }

        return (model.ToByteArray(), string.Join("; ", done));
    }

    /// <summary>
    /// Points a random tensor at external data with hostile entries. The fuzz folder holds <see cref="DataFile"/>
    /// (64 bytes) and <see cref="EscapingLink"/>, a link to a file outside the folder.
    /// </summary>
    private (byte[], string) ExternalData(byte[] b)
    {
        var model = _parser.ParseFrom(b);
        var sites = new List<(IMessage Message, FieldDescriptor Field, string Path)>();
        Collect(model, "model", sites);
        var tensors = sites.Where(s => s.Message is TensorProto).Select(s => ((TensorProto)s.Message, s.Path)).Distinct().ToList();
        if (tensors.Count == 0)
        {
            return Structural(b);
        }

        var (tensor, path) = tensors[_rng.Next(tensors.Count)];
        tensor.DataLocation = _rng.Next(8) == 0 ? (TensorProto.Types.DataLocation)_rng.Next(2, 100) : TensorProto.Types.DataLocation.External;
        tensor.ClearRawData();
        string[] locations = [DataFile, DataFile, EscapingLink, .. s_interestingStrings];
        string[] numbers = ["0", "1", "8", "64", "-1", "9223372036854775807", "18446744073709551616", "1e3", " 4", string.Empty];
        var entries = new List<string>();
        int count = _rng.Next(4);
        for (int i = 0; i < count; i++)
        {
            string key = _rng.Next(5) switch { 0 => "location", 1 => "offset", 2 => "length", 3 => "checksum", _ => s_interestingStrings[_rng.Next(s_interestingStrings.Length)] };
            string value = key == "location" ? locations[_rng.Next(locations.Length)] : numbers[_rng.Next(numbers.Length)];
            tensor.ExternalData.Add(new StringStringEntryProto { Key = key, Value = value });
            entries.Add($"{key}={(value.Length > 20 ? value[..20] + "…" : value)}");
        }

        return (model.ToByteArray(), $"{path}: {tensor.DataLocation} external data [{string.Join(", ", entries)}]");
    }

    /// <summary>Every field of every message reachable from <paramref name="m"/>, set or not.</summary>
    private static void Collect(IMessage m, string path, List<(IMessage, FieldDescriptor, string)> sites)
    {
        foreach (var field in m.Descriptor.Fields.InFieldNumberOrder())
        {
            sites.Add((m, field, path));
            if (field.FieldType != FieldType.Message)
            {
                continue;
            }

            object? value = field.Accessor.GetValue(m);
            if (field.IsRepeated)
            {
                int i = 0;
                foreach (var item in (System.Collections.IList)value!)
                {
                    Collect((IMessage)item!, $"{path}.{field.Name}[{i++}]", sites);
                }
            }
            else if (value is IMessage child)
            {
                Collect(child, $"{path}.{field.Name}", sites);
            }
        }
    }

    private string MutateField(IMessage m, FieldDescriptor field)
    {
        var accessor = field.Accessor;
        if (field.IsRepeated)
        {
            var list = (System.Collections.IList)accessor.GetValue(m);
            int op = _rng.Next(4);
            if (list.Count == 0 || op == 0)
            {
                object item = NewValue(field);
                list.Add(item);
                return $"add {Show(item)}";
            }

            int i = _rng.Next(list.Count);
            switch (op)
            {
                case 1:
                    list.RemoveAt(i);
                    return $"remove item {i}";
                case 2:
                    list.Add(list[i]);
                    return $"duplicate item {i}";
                default:
                    if (field.FieldType == FieldType.Message)
                    {
                        list.Clear();
                        return "clear";
                    }

                    object v = NewValue(field);
                    list[i] = v;
                    return $"item {i} = {Show(v)}";
            }
        }

        if (field.FieldType == FieldType.Message)
        {
            if (accessor.GetValue(m) is not null && _rng.Next(2) == 0)
            {
                accessor.Clear(m);
                return "clear";
            }

            accessor.SetValue(m, NewValue(field));
            return "set empty message";
        }

        object value = NewValue(field);
        accessor.SetValue(m, value);
        return $"= {Show(value)}";
    }

    private object NewValue(FieldDescriptor field)
    {
        long n = _rng.Next(3) == 0 ? _rng.NextInt64(-1000, 1000) : s_interestingInts[_rng.Next(s_interestingInts.Length)];
        return field.FieldType switch
        {
            FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => unchecked((int)n),
            FieldType.UInt32 or FieldType.Fixed32 => unchecked((uint)n),
            FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => n,
            FieldType.UInt64 or FieldType.Fixed64 => unchecked((ulong)n),
            FieldType.Bool => _rng.Next(2) == 0,
            FieldType.Float => (float)(_rng.Next(4) switch { 0 => double.NaN, 1 => double.PositiveInfinity, 2 => n, _ => _rng.NextDouble() }),
            FieldType.Double => _rng.Next(2) == 0 ? double.NaN : n,
            FieldType.String => s_interestingStrings[_rng.Next(s_interestingStrings.Length)],
            FieldType.Bytes => RandomByteString(),
            FieldType.Enum => Enum.ToObject(field.EnumType.ClrType, _rng.Next(3) == 0 ? (int)(n % 100) : field.EnumType.Values[_rng.Next(field.EnumType.Values.Count)].Number),
            FieldType.Message => field.MessageType.Parser.ParseFrom(ByteString.Empty),
            _ => throw new InvalidOperationException($"unhandled field type {field.FieldType}"),
        };
    }

    private ByteString RandomByteString()
    {
        var bytes = new byte[_rng.Next(4) switch { 0 => 0, 1 => 1, 2 => 7, _ => _rng.Next(64) }];
        _rng.NextBytes(bytes);
        return ByteString.CopyFrom(bytes);
    }

    private static string Show(object value) => value switch
    {
        string s => s.Length > 20 ? $"'{s[..20]}…' ({s.Length} chars)" : $"'{s}'",
        ByteString bs => $"{bs.Length} bytes",
        IMessage msg => $"empty {msg.Descriptor.Name}",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
    };
}
