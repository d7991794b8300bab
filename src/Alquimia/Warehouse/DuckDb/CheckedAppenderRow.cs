using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;

namespace Alquimia.Warehouse.DuckDb;

/// <summary>
/// One row being appended: one value per column, in order, each of the .NET type its column takes (see
/// <see cref="CheckedAppender"/>); a value of another width or kind throws instead of being stored wrongly.
/// </summary>
public readonly struct CheckedAppenderRow
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly CheckedAppender _appender;

    internal CheckedAppenderRow(CheckedAppender appender)
    {
        _appender = appender;
    }

    public CheckedAppenderRow AppendNull()
    {
        _appender.Next(AppendedKind.Unsupported, out _).AppendNullValue();
        return this;
    }

    public CheckedAppenderRow Append(bool value) => Done(_appender.Next(AppendedKind.Boolean).AppendValue(value));

    public CheckedAppenderRow Append(short value) => Done(_appender.Next(AppendedKind.SmallInt).AppendValue(value));

    public CheckedAppenderRow Append(int value) => Done(_appender.Next(AppendedKind.Integer).AppendValue(value));

    public CheckedAppenderRow Append(long value) => Done(_appender.Next(AppendedKind.BigInt).AppendValue(value));

    public CheckedAppenderRow Append(float value) => Done(_appender.Next(AppendedKind.Float).AppendValue(value));

    public CheckedAppenderRow Append(double value) => Done(_appender.Next(AppendedKind.Double).AppendValue(value));

    public CheckedAppenderRow Append(Guid value) => Done(_appender.Next(AppendedKind.Uuid).AppendValue(value));

    public CheckedAppenderRow Append(DateOnly value) => Done(_appender.Next(AppendedKind.Date).AppendValue((DateOnly?)value));

    public CheckedAppenderRow Append(DateTime value) => Done(_appender.Next(AppendedKind.Timestamp).AppendValue(value));

    public CheckedAppenderRow Append(DateTimeOffset value) => Done(_appender.Next(AppendedKind.TimestampTz).AppendValue(value));

    public CheckedAppenderRow Append(TimeOnly value) => Done(_appender.Next(AppendedKind.Time).AppendValue((TimeOnly?)value));

    /// <summary>A TIME of day, or an INTERVAL without months.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A time of day outside 00:00 to 23:59:59.999999.</exception>
    public CheckedAppenderRow Append(TimeSpan value)
    {
        var row = _appender.Next(AppendedKind.Unsupported, out var column);
        switch (column.Kind)
        {
            case AppendedKind.Time:
                row.AppendValue((TimeOnly?)TimeOnly.FromTimeSpan(value));
                break;
            case AppendedKind.Interval:
                row.AppendValue(IntervalText(DuckDbInterval.FromTimeSpan(value)));
                break;
            default:
                throw Mismatch(column, "TimeSpan");
        }

        return this;
    }

    public CheckedAppenderRow Append(DuckDbInterval value) => Done(_appender.Next(AppendedKind.Interval).AppendValue(IntervalText(value)));

    public CheckedAppenderRow Append(string? value)
    {
        var row = _appender.Next(AppendedKind.Text);
        if (value is null)
        {
            row.AppendNullValue();
        }
        else
        {
            // A lone surrogate has no UTF-8 form: DuckDB.NET's encoder would replace it with U+FFFD.
            if (value.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF'))
            {
                try
                {
                    _ = StrictUtf8.GetByteCount(value);
                }
                catch (EncoderFallbackException error)
                {
                    throw new ArgumentException("The text has a lone UTF-16 surrogate, which has no UTF-8 form.", error);
                }
            }

            row.AppendValue(value);
        }

        return this;
    }

    /// <summary>Text already encoded as UTF-8, copied as it is.</summary>
    /// <exception cref="ArgumentException">The bytes are not valid UTF-8 (DuckDB.NET would store NULL).</exception>
    public CheckedAppenderRow AppendUtf8(ReadOnlySpan<byte> value)
    {
        var row = _appender.Next(AppendedKind.Text);
        if (!Utf8.IsValid(value))
        {
            throw new ArgumentException("The text is not valid UTF-8.");
        }

        row.AppendValue(MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(value), value.Length));
        return this;
    }

    /// <summary>Bytes of a BLOB.</summary>
    public CheckedAppenderRow Append(ReadOnlySpan<byte> value)
    {
        _appender.Next(AppendedKind.Blob).AppendValue(MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(value), value.Length));
        return this;
    }

    public CheckedAppenderRow Append(decimal value) => Append(DuckDbDecimal.FromDecimal(value));

    /// <summary>A DECIMAL, brought to the column's scale (rounded half away from zero).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value has more digits before the point than the column.</exception>
    public CheckedAppenderRow Append(DuckDbDecimal value)
    {
        var row = _appender.Next(AppendedKind.Decimal, out var column);
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

        var exact = new DuckDbDecimal(unscaled, column.Scale);
        if (column.StagedAsText)
        {
            row.AppendValue(exact.ToString());
        }
        else
        {
            row.AppendValue(exact.ToDecimal());
        }

        return this;
    }

    /// <summary>Ends the row, which must have a value for every column.</summary>
    public void EndRow() => _appender.EndRow();

    /// <summary>The row, once a value was written through DuckDB.NET's (whose own row it returns).</summary>
    private CheckedAppenderRow Done(DuckDB.NET.Data.IDuckDBAppenderRow _) => this;

    /// <summary>An interval in a text DuckDB casts back exactly: each part in its own unit.</summary>
    private static string IntervalText(DuckDbInterval value) =>
        string.Create(CultureInfo.InvariantCulture, $"{value.Months} months {value.Days} days {value.Micros} microseconds");

    private static InvalidOperationException Mismatch(AppendedType column, string given) =>
        new($"Column '{column.Column}' is {column.DuckDbType}: append a {AppendedType.ClrName(column.Kind)}, not a {given}.");

    private static ArgumentOutOfRangeException OutOfRange(AppendedType column, DuckDbDecimal value) =>
        new(nameof(value), $"{value} does not fit column '{column.Column}' ({column.DuckDbType}).");
}
