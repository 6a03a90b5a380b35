using System.Globalization;
using Google.Protobuf.Reflection;

namespace OpenAutoGlm.Onnx;

/// <summary>
/// Finds where a malformed protobuf breaks: walks the wire format (tags, varints, fixed fields, length prefixes)
/// guided by the message descriptors, so the error can name the byte offset and the field path, e.g.
/// <c>byte 41: ModelProto.graph.initializer[0].raw_data claims 4096 bytes but only 17 remain</c>.
/// Google.Protobuf's own exception does not say where it stopped.
/// </summary>
internal static class WireFormatLocator
{
    /// <summary>Protobuf's own nesting limit; deeper input is reported, not walked.</summary>
    private const int MaxDepth = 100;

    /// <summary>The first framing error in <paramref name="bytes"/> read as <paramref name="root"/>, or null if the framing is sound.</summary>
    public static string? Locate(ReadOnlySpan<byte> bytes, MessageDescriptor root)
    {
        int pos = 0;
        return Walk(bytes, ref pos, bytes.Length, root, root.Name, 0, endGroupField: 0);
    }

    private static string? Walk(ReadOnlySpan<byte> bytes, ref int pos, int end, MessageDescriptor? message, string path, int depth, int endGroupField)
    {
        if (depth > MaxDepth)
        {
            return $"byte {pos}: {path} is nested more than {MaxDepth} levels deep";
        }

        var seen = new Dictionary<int, int>();
        while (pos < end)
        {
            int tagAt = pos;
            if (!TryVarint(bytes, ref pos, end, out ulong tag))
            {
                return $"byte {tagAt}: {path}: field tag is cut off or longer than 10 bytes";
            }

            int number = (int)Math.Min(tag >> 3, int.MaxValue);
            int wire = (int)(tag & 7);
            if (number == 0)
            {
                return $"byte {tagAt}: {path}: invalid field number 0";
            }

            var field = message?.FindFieldByNumber(number);
            seen[number] = seen.TryGetValue(number, out int n) ? n + 1 : 1;
            string fieldPath = field is null
                ? $"{path}.<field {number}>"
                : field.IsRepeated ? $"{path}.{field.Name}[{seen[number] - 1}]" : $"{path}.{field.Name}";
            switch (wire)
            {
                case 0:
                    if (!TryVarint(bytes, ref pos, end, out _))
                    {
                        return $"byte {tagAt}: {fieldPath}: varint is cut off or longer than 10 bytes";
                    }

                    break;
                case 1:
                case 5:
                    int size = wire == 1 ? 8 : 4;
                    if (end - pos < size)
                    {
                        return $"byte {tagAt}: {fieldPath}: {size}-byte value is cut off ({end - pos} bytes remain)";
                    }

                    pos += size;
                    break;
                case 2:
                    int lengthAt = pos;
                    if (!TryVarint(bytes, ref pos, end, out ulong length))
                    {
                        return $"byte {lengthAt}: {fieldPath}: length prefix is cut off";
                    }

                    if (length > (ulong)(end - pos))
                    {
                        return $"byte {tagAt}: {fieldPath} claims {length} bytes but only {end - pos} remain (truncated or corrupt file)";
                    }

                    int contentEnd = pos + (int)length;
                    string? problem = field?.FieldType switch
                    {
                        FieldType.Message => Walk(bytes, ref pos, contentEnd, field.MessageType, fieldPath, depth + 1, 0),
                        _ when field is { IsRepeated: true } => Packed(bytes[pos..contentEnd], field.FieldType, tagAt, fieldPath),
                        _ => null,
                    };
                    if (problem is not null)
                    {
                        return problem;
                    }

                    pos = contentEnd;
                    break;
                case 3:
                    if (Walk(bytes, ref pos, end, field is { FieldType: FieldType.Group } ? field.MessageType : null, fieldPath, depth + 1, number) is { } group)
                    {
                        return group;
                    }

                    break;
                case 4:
                    return number == endGroupField ? null : $"byte {tagAt}: {path}: unexpected end-group tag for field {number}";
                default:
                    return $"byte {tagAt}: {fieldPath}: invalid wire type {wire.ToString(CultureInfo.InvariantCulture)}";
            }
        }

        return endGroupField != 0 ? $"byte {pos}: {path}: group is not closed" : null;
    }

    /// <summary>Checks a packed repeated scalar: whole fixed-size values, or varints that end exactly at the end.</summary>
    private static string? Packed(ReadOnlySpan<byte> content, FieldType type, int tagAt, string path)
    {
        int size = type switch
        {
            FieldType.Float or FieldType.Fixed32 or FieldType.SFixed32 => 4,
            FieldType.Double or FieldType.Fixed64 or FieldType.SFixed64 => 8,
            FieldType.String or FieldType.Bytes or FieldType.Group or FieldType.Message => -1,
            _ => 0,
        };
        if (size > 0)
        {
            return content.Length % size == 0 ? null : $"byte {tagAt}: {path}: packed {size}-byte values, but {content.Length} bytes";
        }

        int pos = 0;
        while (size == 0 && pos < content.Length)
        {
            if (!TryVarint(content, ref pos, content.Length, out _))
            {
                return $"byte {tagAt}: {path}: packed varint {pos} bytes in is cut off";
            }
        }

        return null;
    }

    private static bool TryVarint(ReadOnlySpan<byte> bytes, ref int pos, int end, out ulong value)
    {
        value = 0;
        for (int shift = 0; shift < 70; shift += 7)
        {
            if (pos >= end)
            {
                return false;
            }

            byte b = bytes[pos++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return true;
            }
        }

        return false;
    }
}
