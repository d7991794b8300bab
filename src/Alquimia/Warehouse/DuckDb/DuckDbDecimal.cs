using System.Globalization;
using System.Numerics;

namespace Alquimia.Warehouse.DuckDb;

/// <summary>
/// A DuckDB DECIMAL exactly as stored: an unscaled integer of up to 38 digits and a scale. <see cref="decimal"/>
/// holds at most 28-29 significant digits, so a DECIMAL(38, s) value can be wider than it; this type never rounds.
/// </summary>
public readonly record struct DuckDbDecimal(Int128 UnscaledValue, byte Scale)
{
    /// <summary>The largest scale <see cref="decimal"/> can hold.</summary>
    private const int MaxDecimalScale = 28;

    private static readonly Int128 MaxDecimalMantissa = ((Int128)1 << 96) - 1;

    /// <summary>Converts a <see cref="decimal"/> exactly (its 96-bit mantissa always fits).</summary>
    public static DuckDbDecimal FromDecimal(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var mantissa = ((Int128)(uint)bits[2] << 64) | ((Int128)(uint)bits[1] << 32) | (uint)bits[0];
        var negative = bits[3] < 0;
        var scale = (byte)((bits[3] >> 16) & 0xFF);
        return new DuckDbDecimal(negative ? -mantissa : mantissa, scale);
    }

    /// <summary>
    /// Reads a decimal's plain text in UTF-8 (<c>-12.3400</c>: a sign, digits, a point, digits; no exponent) exactly, its
    /// scale being the digits after the point. False for any other text, and for more than 38 digits.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out DuckDbDecimal value)
    {
        value = default;
        var negative = utf8.Length > 0 && utf8[0] == (byte)'-';
        var text = negative || (utf8.Length > 0 && utf8[0] == (byte)'+') ? utf8[1..] : utf8;
        Int128 unscaled = 0;
        var (digits, significant, scale, point) = (0, 0, 0, false);
        foreach (var character in text)
        {
            if (character == (byte)'.' && !point)
            {
                point = true;
                continue;
            }

            // Leading zeros (0.0001) are not among the 38 digits an Int128 holds.
            if (character is < (byte)'0' or > (byte)'9' || (unscaled != 0 || character != (byte)'0' ? ++significant : significant) > 38)
            {
                return false;
            }

            digits++;
            unscaled = (unscaled * 10) + (character - '0');
            scale += point ? 1 : 0;
        }

        if (digits == 0 || scale > 38)
        {
            return false;
        }

        value = new DuckDbDecimal(negative ? -unscaled : unscaled, (byte)scale);
        return true;
    }

    /// <summary>The value as a <see cref="decimal"/> when it is exactly representable.</summary>
    public bool TryToDecimal(out decimal value)
    {
        var unscaled = UnscaledValue;
        var scale = (int)Scale;
        // Trailing zeros past decimal's 28-digit scale carry no information: drop them.
        while (scale > MaxDecimalScale && unscaled % 10 == 0)
        {
            unscaled /= 10;
            scale--;
        }

        var magnitude = Int128.Abs(unscaled);
        if (scale > MaxDecimalScale || magnitude > MaxDecimalMantissa)
        {
            value = default;
            return false;
        }

        value = new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), (int)(uint)(magnitude >> 64),
            unscaled < 0, (byte)scale);
        return true;
    }

    /// <summary>The value as a <see cref="decimal"/>.</summary>
    /// <exception cref="OverflowException">It has more digits than <see cref="decimal"/> holds exactly.</exception>
    public decimal ToDecimal() => TryToDecimal(out var value)
        ? value
        : throw new OverflowException(
            $"The DECIMAL value {this} has more digits than System.Decimal holds exactly; read it as {nameof(DuckDbDecimal)} or as a string.");

    /// <summary>
    /// The unscaled value at another scale: exact when widening, rounded half away from zero when narrowing,
    /// as DuckDB's own cast does.
    /// </summary>
    internal Int128 UnscaledAt(byte scale)
    {
        var value = UnscaledValue;
        for (var s = Scale; s < scale; s++)
        {
            value = checked(value * 10);
        }

        if (Scale <= scale)
        {
            return value;
        }

        var divisor = Int128.One;
        for (var s = scale; s < Scale; s++)
        {
            divisor *= 10;
        }

        var (quotient, remainder) = Int128.DivRem(value, divisor);
        if (Int128.Abs(remainder) * 2 >= divisor)
        {
            quotient += Int128.Sign(value);
        }

        return quotient;
    }

    /// <summary>The exact value in invariant notation, e.g. <c>-12.3400</c>.</summary>
    public override string ToString()
    {
        var digits = BigInteger.Abs((BigInteger)UnscaledValue).ToString(CultureInfo.InvariantCulture);
        var sign = UnscaledValue < 0 ? "-" : "";
        if (Scale == 0)
        {
            return sign + digits;
        }

        digits = digits.PadLeft(Scale + 1, '0');
        return string.Concat(sign, digits.AsSpan(0, digits.Length - Scale), ".", digits.AsSpan(digits.Length - Scale));
    }
}
