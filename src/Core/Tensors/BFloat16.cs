using System.Runtime.CompilerServices;

namespace OpenAutoGlm.Core;

/// <summary>
/// Brain floating point: the upper 16 bits of an IEEE float32 (1 sign, 8 exponent, 7 mantissa bits).
/// Conversion from float32 rounds to nearest even; NaN stays NaN.
/// </summary>
public readonly struct BFloat16 : IEquatable<BFloat16>, IComparable<BFloat16>
{
    public ushort RawValue { get; }

    private BFloat16(ushort raw) => RawValue = raw;

    public static BFloat16 FromRaw(ushort raw) => new(raw);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static explicit operator BFloat16(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
        {
            return new BFloat16((ushort)((bits >> 16) | 0x0040));
        }

        uint roundingBias = 0x7FFFu + ((bits >> 16) & 1u);
        return new BFloat16((ushort)((bits + roundingBias) >> 16));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static explicit operator float(BFloat16 value) => BitConverter.UInt32BitsToSingle((uint)value.RawValue << 16);

    public static explicit operator BFloat16(double value) => (BFloat16)(float)value;

    public static explicit operator double(BFloat16 value) => (float)value;

    public bool Equals(BFloat16 other) => ((float)this).Equals((float)other);

    public override bool Equals(object? obj) => obj is BFloat16 other && Equals(other);

    public override int GetHashCode() => ((float)this).GetHashCode();

    public int CompareTo(BFloat16 other) => ((float)this).CompareTo((float)other);

    public override string ToString() => ((float)this).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static bool operator ==(BFloat16 left, BFloat16 right) => left.Equals(right);

    public static bool operator !=(BFloat16 left, BFloat16 right) => !left.Equals(right);

    public static bool operator <(BFloat16 left, BFloat16 right) => (float)left < (float)right;

    public static bool operator >(BFloat16 left, BFloat16 right) => (float)left > (float)right;

    public static bool operator <=(BFloat16 left, BFloat16 right) => (float)left <= (float)right;

    public static bool operator >=(BFloat16 left, BFloat16 right) => (float)left >= (float)right;
}
