using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace Alquimia.Warehouse.DuckDb;

/// <summary>
/// One row being appended: one value per column, in order, each of the .NET type its column takes (see
/// <see cref="CheckedAppender"/>); a value of another width or kind throws instead of being stored wrongly.
/// </summary>
public readonly unsafe struct CheckedAppenderRow
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>1970-01-01, DuckDB's epoch, in .NET ticks.</summary>
    private static readonly long EpochTicks = DateTime.UnixEpoch.Ticks;

    private static readonly int EpochDayNumber = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    /// <summary>The top bit of a UUID's upper half, which DuckDB stores flipped so that UUIDs sort as their text does.</summary>
    private const ulong UuidSortBit = 1UL << 63;

    private const long MicrosPerDay = 86_400_000_000;

    /// <summary>Strings up to this many UTF-8 bytes are encoded on the stack.</summary>
    private const int StackEncodingLimit = 1024;

    private readonly CheckedAppender _appender;

    internal CheckedAppenderRow(CheckedAppender appender)
    {
        _appender = appender;
    }

    public CheckedAppenderRow AppendNull()
    {
        var index = _appender.Next(AppendedKind.Unsupported, out _, out var row);
        _appender.WriteNull(index, row);
        return this;
    }

    public CheckedAppenderRow Append(bool value) => Put(AppendedKind.Boolean, (byte)(value ? 1 : 0));

    public CheckedAppenderRow Append(short value) => Put(AppendedKind.SmallInt, value);

    public CheckedAppenderRow Append(int value) => Put(AppendedKind.Integer, value);

    public CheckedAppenderRow Append(long value) => Put(AppendedKind.BigInt, value);

    public CheckedAppenderRow Append(ulong value) => Put(AppendedKind.UBigInt, value);

    public CheckedAppenderRow Append(float value) => Put(AppendedKind.Float, value);

    public CheckedAppenderRow Append(double value) => Put(AppendedKind.Double, value);

    /// <summary>A UUID, stored as DuckDB does: its 128 bits most significant first, the top bit flipped.</summary>
    public CheckedAppenderRow Append(Guid value)
    {
        Span<byte> bytes = stackalloc byte[16];
        value.TryWriteBytes(bytes, bigEndian: true, out _);
        var number = new Int128(BinaryPrimitives.ReadUInt64BigEndian(bytes) ^ UuidSortBit, BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]));
        return Put(AppendedKind.Uuid, number);
    }

    /// <summary>A DATE, as days since 1970-01-01.</summary>
    public CheckedAppenderRow Append(DateOnly value) => Put(AppendedKind.Date, value.DayNumber - EpochDayNumber);

    /// <summary>A TIMESTAMP: the wall-clock time as written, to the microsecond (ticks below it are dropped, towards the past).</summary>
    public CheckedAppenderRow Append(DateTime value) => Put(AppendedKind.Timestamp, Micros(value.Ticks));

    /// <summary>A TIMESTAMP WITH TIME ZONE: the instant, to the microsecond.</summary>
    public CheckedAppenderRow Append(DateTimeOffset value) => Put(AppendedKind.TimestampTz, Micros(value.UtcTicks));

    /// <summary>
    /// A DATE as DuckDB stores it: days since 1970-01-01, any day DuckDB holds (BC and far-future ones included, which
    /// <see cref="DateOnly"/> cannot), and <see cref="int.MaxValue"/> and <c>-int.MaxValue</c> for <c>infinity</c> and <c>-infinity</c>.
    /// </summary>
    public CheckedAppenderRow AppendDate(int daysSinceEpoch) => Put(AppendedKind.Date, daysSinceEpoch);

    /// <summary>
    /// A TIMESTAMP or TIMESTAMP WITH TIME ZONE as DuckDB stores it: microseconds since 1970-01-01 (UTC for the latter),
    /// any instant DuckDB holds, and <see cref="long.MaxValue"/> and <c>-long.MaxValue</c> for <c>infinity</c> and <c>-infinity</c>.
    /// </summary>
    public CheckedAppenderRow AppendTimestamp(long microsSinceEpoch)
    {
        var index = _appender.Next(AppendedKind.Unsupported, out var column, out var row);
        if (column.Kind is not (AppendedKind.Timestamp or AppendedKind.TimestampTz))
        {
            throw new InvalidOperationException(
                $"Column '{column.Column}' of '{_appender.Table}' is {column.DuckDbType}: append a {AppendedType.ClrName(column.Kind)}, not microseconds of a timestamp.");
        }

        ((long*)_appender.Data(index))[row] = microsSinceEpoch;
        return this;
    }

    public CheckedAppenderRow Append(TimeOnly value) => Put(AppendedKind.Time, value.Ticks / TimeSpan.TicksPerMicrosecond);

    /// <summary>
    /// A TIME as DuckDB stores it: microseconds since midnight, 00:00 to 24:00:00 inclusive. DuckDB and PostgreSQL both
    /// hold 24:00:00, the end of a day, which <see cref="TimeOnly"/> cannot.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A time before 00:00 or after 24:00:00.</exception>
    public CheckedAppenderRow AppendTime(long microsSinceMidnight)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(microsSinceMidnight);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(microsSinceMidnight, MicrosPerDay);
        return Put(AppendedKind.Time, microsSinceMidnight);
    }

    /// <summary>A TIME of day, or an INTERVAL without months (a day counted as 24 hours).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A time of day outside 00:00 to 23:59:59.999999.</exception>
    public CheckedAppenderRow Append(TimeSpan value)
    {
        var index = _appender.Next(AppendedKind.Unsupported, out var column, out var row);
        switch (column.Kind)
        {
            case AppendedKind.Time:
                ((long*)_appender.Data(index))[row] = TimeOnly.FromTimeSpan(value).Ticks / TimeSpan.TicksPerMicrosecond;
                break;
            case AppendedKind.Interval:
                ((DuckDbInterval*)_appender.Data(index))[row] = DuckDbInterval.FromTimeSpan(value);
                break;
            default:
                throw new InvalidOperationException(
                    $"Column '{column.Column}' of '{_appender.Table}' is {column.DuckDbType}: append a {AppendedType.ClrName(column.Kind)}, not a TimeSpan.");
        }

        return this;
    }

    /// <summary>An INTERVAL: months, days and microseconds, as they are.</summary>
    public CheckedAppenderRow Append(DuckDbInterval value) => Put(AppendedKind.Interval, value);

    public CheckedAppenderRow Append(string? value)
    {
        if (value is null)
        {
            return AppendNull();
        }

        var index = _appender.Next(AppendedKind.Text, out _, out var row);
        // A lone surrogate has no UTF-8 form (DuckDB.NET's encoder would write U+FFFD): only then is the strict encoder needed.
        var encoding = value.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF') ? StrictUtf8 : Encoding.UTF8;
        var maxBytes = encoding.GetMaxByteCount(value.Length);
        var rented = maxBytes <= StackEncodingLimit ? null : ArrayPool<byte>.Shared.Rent(maxBytes);
        try
        {
            Span<byte> buffer = rented ?? stackalloc byte[maxBytes];
            int written;
            try
            {
                written = encoding.GetBytes(value, buffer);
            }
            catch (EncoderFallbackException error)
            {
                throw new ArgumentException("The text has a lone UTF-16 surrogate, which has no UTF-8 form.", error);
            }

            _appender.WriteBytes(index, row, buffer[..written]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        return this;
    }

    /// <summary>Text already encoded as UTF-8, copied as it is.</summary>
    /// <exception cref="ArgumentException">The bytes are not valid UTF-8 (DuckDB.NET would store NULL).</exception>
    public CheckedAppenderRow AppendUtf8(ReadOnlySpan<byte> value)
    {
        var index = _appender.Next(AppendedKind.Text, out _, out var row);
        if (!Utf8.IsValid(value))
        {
            throw new ArgumentException("The text is not valid UTF-8.");
        }

        _appender.WriteBytes(index, row, value);
        return this;
    }

    /// <summary>Bytes of a BLOB.</summary>
    public CheckedAppenderRow Append(ReadOnlySpan<byte> value)
    {
        var index = _appender.Next(AppendedKind.Blob, out _, out var row);
        _appender.WriteBytes(index, row, value);
        return this;
    }

    public CheckedAppenderRow Append(decimal value) => Append(DuckDbDecimal.FromDecimal(value));

    /// <summary>A DECIMAL, brought to the column's scale (rounded half away from zero), exact to 38 digits.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value has more digits before the point than the column.</exception>
    public CheckedAppenderRow Append(DuckDbDecimal value)
    {
        var index = _appender.Next(AppendedKind.Decimal, out var column, out var row);
        Int128 unscaled;
        try
        {
            unscaled = value.UnscaledAt(column.Scale);
        }
        catch (OverflowException)
        {
            throw OutOfRange(column, value);
        }

        if (Int128.Abs(unscaled) >= column.DecimalLimit)
        {
            throw OutOfRange(column, value);
        }

        // DuckDB stores a DECIMAL in the smallest integer its width fits.
        var data = _appender.Data(index);
        switch (column.Precision)
        {
            case <= 4:
                ((short*)data)[row] = (short)unscaled;
                break;
            case <= 9:
                ((int*)data)[row] = (int)unscaled;
                break;
            case <= 18:
                ((long*)data)[row] = (long)unscaled;
                break;
            default:
                ((Int128*)data)[row] = unscaled;
                break;
        }

        return this;
    }

    /// <summary>Ends the row, which must have a value for every column.</summary>
    public void EndRow() => _appender.EndRow();

    private CheckedAppenderRow Put<T>(AppendedKind kind, T value) where T : unmanaged
    {
        ((T*)_appender.Next(kind, out var row))[row] = value;
        return this;
    }

    /// <summary>Microseconds since 1970-01-01 of <paramref name="ticks"/>, rounded towards the past.</summary>
    private static long Micros(long ticks) => Math.DivRem(ticks - EpochTicks, TimeSpan.TicksPerMicrosecond) is var (quotient, remainder) && remainder < 0 ? quotient - 1 : quotient;

    private static ArgumentOutOfRangeException OutOfRange(AppendedType column, DuckDbDecimal value) =>
        new(nameof(value), $"{value} does not fit column '{column.Column}' ({column.DuckDbType}).");
}
