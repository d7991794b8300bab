using System.Buffers.Binary;
using System.Text;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Ingestion.Postgres;

/// <summary>
/// Appends one field of a binary COPY row, in PostgreSQL's send format, to the appender's row: numbers and times are
/// turned from big-endian with PostgreSQL's epoch (2000-01-01) into DuckDB's values, text and bytes are copied as
/// they are. No .NET string or boxed value is made on the way.
/// </summary>
internal static class PostgresWireDecoder
{
    private const ushort NumericPositive = 0x0000;
    private const ushort NumericNegative = 0x4000;
    private const ushort NumericNaN = 0xC000;
    private const ushort NumericPositiveInfinity = 0xD000;

    /// <summary>Days from DuckDB's epoch (1970-01-01) to PostgreSQL's (2000-01-01).</summary>
    private const int DaysFrom1970To2000 = 10_957;

    /// <summary>Microseconds from DuckDB's epoch to PostgreSQL's.</summary>
    private const long MicrosFrom1970To2000 = DaysFrom1970To2000 * 86_400_000_000L;

    /// <summary>10^0 to 10^38: the powers a DECIMAL's 38 digits need.</summary>
    private static readonly Int128[] PowersOfTen = TenToThe(38);

    public static CheckedAppenderRow Append(CheckedAppenderRow row, PostgresWireValue wire, ReadOnlySpan<byte> value) => wire switch
    {
        PostgresWireValue.Boolean => row.Append(value[0] != 0),
        PostgresWireValue.Int16 => row.Append(BinaryPrimitives.ReadInt16BigEndian(value)),
        PostgresWireValue.Int32 => row.Append(BinaryPrimitives.ReadInt32BigEndian(value)),
        PostgresWireValue.Int64 => row.Append(BinaryPrimitives.ReadInt64BigEndian(value)),
        PostgresWireValue.Float4 => row.Append(BinaryPrimitives.ReadSingleBigEndian(value)),
        PostgresWireValue.Float8 => row.Append(BinaryPrimitives.ReadDoubleBigEndian(value)),
        PostgresWireValue.Text => row.AppendUtf8(value),
        PostgresWireValue.Bytes => row.Append(value),
        PostgresWireValue.Date => row.AppendDate(Date(BinaryPrimitives.ReadInt32BigEndian(value))),
        PostgresWireValue.Timestamp or PostgresWireValue.TimestampTz => row.AppendTimestamp(Timestamp(BinaryPrimitives.ReadInt64BigEndian(value))),
        PostgresWireValue.Time => row.AppendTime(BinaryPrimitives.ReadInt64BigEndian(value)),
        PostgresWireValue.Uuid => row.Append(new Guid(value, bigEndian: true)),
        PostgresWireValue.Numeric => row.Append(Numeric(value)),
        PostgresWireValue.ArrayAsJson => value.Length > 0 && value[0] == (byte)'[' ? row.AppendUtf8(value) : throw NotAList(value),
        _ => throw new ArgumentOutOfRangeException(nameof(wire), wire, "Unknown wire value."),
    };

    /// <summary>
    /// A numeric in its send format: a count of base-10000 digits, the weight (power of 10000) of the first, a sign,
    /// the display scale, then the digits, most significant first. The value is summed, exactly, as an integer at the
    /// display scale; the appender brings it to the column's scale. NaN and ±Infinity have no DECIMAL value.
    /// </summary>
    private static DuckDbDecimal Numeric(ReadOnlySpan<byte> value)
    {
        var digits = BinaryPrimitives.ReadInt16BigEndian(value);
        var weight = BinaryPrimitives.ReadInt16BigEndian(value[2..]);
        var sign = BinaryPrimitives.ReadUInt16BigEndian(value[4..]);
        var scale = BinaryPrimitives.ReadInt16BigEndian(value[6..]);
        if (sign is not (NumericPositive or NumericNegative))
        {
            var name = sign switch { NumericNaN => "NaN", NumericPositiveInfinity => "Infinity", _ => "-Infinity" };
            throw new ArgumentException($"{name} has no DECIMAL value.");
        }

        Int128 unscaled = 0;
        for (var i = 0; i < digits; i++)
        {
            // The digit counts 10000^(weight - i), so 10^(4 * (weight - i) + scale) at the display scale. A digit past
            // the point spans four decimals of which the display scale may keep fewer: the rest are zeros.
            Int128 digit = BinaryPrimitives.ReadInt16BigEndian(value[(8 + (2 * i))..]);
            var power = (4 * (weight - i)) + scale;
            unscaled = power switch
            {
                >= 0 when power < PowersOfTen.Length => checked(unscaled + (digit * PowersOfTen[power])),
                >= 0 => throw new OverflowException("The value has more than 38 digits."),
                > -4 => unscaled + (digit / PowersOfTen[-power]),
                _ => unscaled,
            };
        }

        return new DuckDbDecimal(sign == NumericNegative ? -unscaled : unscaled, checked((byte)scale));
    }

    /// <summary>An array of more than one dimension, or that starts at another index than 1: no DuckDB list holds it as it is.</summary>
    private static ArgumentException NotAList(ReadOnlySpan<byte> shape) => new(
        $"it is an array of {Encoding.UTF8.GetString(shape)}, and a DuckDB list has one dimension, numbered from 1.");

    private static Int128[] TenToThe(int largestExponent)
    {
        var powers = new Int128[largestExponent + 1];
        powers[0] = 1;
        for (var exponent = 1; exponent <= largestExponent; exponent++)
        {
            powers[exponent] = powers[exponent - 1] * 10;
        }

        return powers;
    }

    /// <summary>
    /// Days since 2000-01-01 as DuckDB's days since 1970-01-01: every PostgreSQL date, BC and far-future ones included,
    /// and PostgreSQL's ±infinity as DuckDB's.
    /// </summary>
    private static int Date(int days) => days switch
    {
        int.MaxValue => int.MaxValue,
        int.MinValue => -int.MaxValue,
        _ => checked(days + DaysFrom1970To2000),
    };

    /// <summary>
    /// Microseconds since 2000-01-01 as DuckDB's since 1970-01-01, and PostgreSQL's ±infinity as DuckDB's. PostgreSQL's
    /// timestamps reach 294276 AD, DuckDB's 294247: a later one cannot land, and says so.
    /// </summary>
    private static long Timestamp(long microseconds)
    {
        switch (microseconds)
        {
            case long.MaxValue:
                return long.MaxValue;
            case long.MinValue:
                return -long.MaxValue;
        }

        var sinceEpoch = microseconds <= long.MaxValue - MicrosFrom1970To2000 ? microseconds + MicrosFrom1970To2000 : long.MaxValue;
        if (sinceEpoch is long.MaxValue or <= -long.MaxValue)
        {
            throw new OverflowException("it is later than 294247-01-10 04:00:54.775806, the last timestamp DuckDB holds.");
        }

        return sinceEpoch;
    }
}
