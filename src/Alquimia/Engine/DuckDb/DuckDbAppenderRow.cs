namespace Alquimia.Engine.DuckDb;

/// <summary>
/// One row being appended: call <c>Append</c> once per column, in the table's order, then <see cref="EndRow"/>.
/// A value that does not fit its column is refused with the column's name and type, and leaves the row where it was.
/// </summary>
public readonly struct DuckDbAppenderRow
{
    private readonly DuckDbAppender _appender;

    internal DuckDbAppenderRow(DuckDbAppender appender)
    {
        _appender = appender;
    }

    public DuckDbAppenderRow AppendNull()
    {
        _appender.NextColumn.WriteNull(_appender.Row);
        return Advance();
    }

    public DuckDbAppenderRow Append(bool value)
    {
        _appender.NextColumn.WriteBoolean(_appender.Row, value);
        return Advance();
    }

    public DuckDbAppenderRow Append(sbyte value) => Append((long)value);

    public DuckDbAppenderRow Append(short value) => Append((long)value);

    public DuckDbAppenderRow Append(int value) => Append((long)value);

    public DuckDbAppenderRow Append(long value)
    {
        _appender.NextColumn.WriteInt64(_appender.Row, value);
        return Advance();
    }

    public DuckDbAppenderRow Append(byte value) => Append((ulong)value);

    public DuckDbAppenderRow Append(ushort value) => Append((ulong)value);

    public DuckDbAppenderRow Append(uint value) => Append((ulong)value);

    public DuckDbAppenderRow Append(ulong value)
    {
        _appender.NextColumn.WriteUInt64(_appender.Row, value);
        return Advance();
    }

    public DuckDbAppenderRow Append(Int128 value)
    {
        _appender.NextColumn.WriteInt128(_appender.Row, value);
        return Advance();
    }

    public DuckDbAppenderRow Append(UInt128 value)
    {
        _appender.NextColumn.WriteUInt128(_appender.Row, value);
        return Advance();
    }

    public DuckDbAppenderRow Append(float value) => Append((double)value);

    public DuckDbAppenderRow Append(double value)
    {
        _appender.NextColumn.WriteDouble(_appender.Row, value);
        return Advance();
    }

    public DuckDbAppenderRow Append(decimal value) => Append(DuckDbDecimal.FromDecimal(value));

    public DuckDbAppenderRow Append(DuckDbDecimal value)
    {
        _appender.NextColumn.WriteDecimal(_appender.Row, value);
        return Advance();
    }

    /// <summary>Appends a string; null appends NULL.</summary>
    public DuckDbAppenderRow Append(string? value)
    {
        if (value is null)
        {
            return AppendNull();
        }

        _appender.NextColumn.WriteString(_appender.Row, value);
        return Advance();
    }

    /// <summary>Appends a BLOB; null appends NULL.</summary>
    public DuckDbAppenderRow Append(byte[]? value) => value is null ? AppendNull() : Append(value.AsSpan());

    public DuckDbAppenderRow Append(ReadOnlySpan<byte> value)
    {
        _appender.NextColumn.WriteBlob(_appender.Row, value);
        return Advance();
    }

    /// <summary>Appends text given as its UTF-8 bytes (e.g. straight from a network buffer) to a VARCHAR column, without making a string of it.</summary>
    public DuckDbAppenderRow AppendUtf8(ReadOnlySpan<byte> value)
    {
        _appender.NextColumn.WriteUtf8(_appender.Row, value);
        return Advance();
    }

    public DuckDbAppenderRow Append(DateOnly value)
    {
        _appender.NextColumn.WriteDate(_appender.Row, value);
        return Advance();
    }

    /// <summary>
    /// Appends a DateTime: to a TIMESTAMP column as its wall-clock time, whatever its kind; to a TIMESTAMP WITH TIME
    /// ZONE column only if of Utc or Local kind (converted to UTC), since one of Unspecified kind names no instant.
    /// </summary>
    public DuckDbAppenderRow Append(DateTime value)
    {
        _appender.NextColumn.WriteDateTime(_appender.Row, value);
        return Advance();
    }

    public DuckDbAppenderRow Append(DateTimeOffset value)
    {
        _appender.NextColumn.WriteDateTimeOffset(_appender.Row, value);
        return Advance();
    }

    public DuckDbAppenderRow Append(TimeOnly value)
    {
        _appender.NextColumn.WriteTime(_appender.Row, value);
        return Advance();
    }

    /// <summary>Appends a TimeSpan to an INTERVAL column, or to a TIME column as the time since midnight.</summary>
    public DuckDbAppenderRow Append(TimeSpan value)
    {
        _appender.NextColumn.WriteTimeSpan(_appender.Row, value);
        return Advance();
    }

    public DuckDbAppenderRow Append(DuckDbInterval value)
    {
        _appender.NextColumn.WriteInterval(_appender.Row, value);
        return Advance();
    }

    public DuckDbAppenderRow Append(Guid value)
    {
        _appender.NextColumn.WriteGuid(_appender.Row, value);
        return Advance();
    }

    /// <summary>Appends a nullable value: NULL when it has none.</summary>
    public DuckDbAppenderRow Append<T>(T? value)
        where T : struct => value.HasValue ? AppendValue(value.Value) : AppendNull();

    /// <summary>Appends a value of any supported type, chosen at run time; null or DBNull appends NULL. Boxes: prefer the typed overloads in loops.</summary>
    public DuckDbAppenderRow AppendValue(object? value) => value switch
    {
        null or DBNull => AppendNull(),
        bool boolean => Append(boolean),
        sbyte int8 => Append(int8),
        short int16 => Append(int16),
        int int32 => Append(int32),
        long int64 => Append(int64),
        byte uint8 => Append(uint8),
        ushort uint16 => Append(uint16),
        uint uint32 => Append(uint32),
        ulong uint64 => Append(uint64),
        Int128 hugeInt => Append(hugeInt),
        UInt128 uHugeInt => Append(uHugeInt),
        float single => Append(single),
        double @double => Append(@double),
        decimal @decimal => Append(@decimal),
        DuckDbDecimal exact => Append(exact),
        string text => Append(text),
        byte[] bytes => Append(bytes),
        DateOnly date => Append(date),
        DateTime timestamp => Append(timestamp),
        DateTimeOffset instant => Append(instant),
        TimeOnly time => Append(time),
        TimeSpan span => Append(span),
        DuckDbInterval interval => Append(interval),
        Guid guid => Append(guid),
        _ => throw new NotSupportedException($"The appender cannot append a {value.GetType().Name}."),
    };

    /// <summary>Ends the row; every column must have had a value.</summary>
    public void EndRow() => _appender.EndRow();

    private DuckDbAppenderRow Advance()
    {
        _appender.Advance();
        return this;
    }
}
