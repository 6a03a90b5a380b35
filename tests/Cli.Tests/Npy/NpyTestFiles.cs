using System.Buffers.Binary;
using System.Text;

namespace OpenAutoGlm.Cli.Tests.Npy;

/// <summary>Builds .npy bytes by hand so tests control every field.</summary>
internal static class NpyTestFiles
{
    public static byte[] Build(string header, byte[] data, byte major = 1, byte minor = 0)
    {
        int lengthBytes = major == 1 ? 2 : 4;
        int pad = (64 - ((6 + 2 + lengthBytes + header.Length + 1) % 64)) % 64;
        byte[] headerBytes = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetBytes(header + new string(' ', pad) + "\n");
        var ms = new MemoryStream();
        ms.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', major, minor]);
        var len = new byte[lengthBytes];
        if (major == 1)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(len, (ushort)headerBytes.Length);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(len, (uint)headerBytes.Length);
        }

        ms.Write(len);
        ms.Write(headerBytes);
        ms.Write(data);
        return ms.ToArray();
    }

    public static byte[] Floats(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        }

        return bytes;
    }

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Npy", "Fixtures", name);
}
