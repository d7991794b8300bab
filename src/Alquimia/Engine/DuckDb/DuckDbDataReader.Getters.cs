using Alquimia.Engine.DuckDb.Reading;

namespace Alquimia.Engine.DuckDb;

/// <summary>The getters: a column's value at the current row, as its own CLR type or converted.</summary>
public sealed partial class DuckDbDataReader
{
    public override T GetFieldValue<T>(int ordinal)
    {
        var column = Column(ordinal);
        var row = CurrentRow;
        if (!column.IsValid(row))
        {
            if (typeof(T) == typeof(object))
            {
                return (T)(object)DBNull.Value;
            }

            return Nullable.GetUnderlyingType(typeof(T)) is not null
                ? default!
                : throw new InvalidCastException(
                    $"Column '{_names[ordinal]}' is NULL in this row. Check IsDBNull first, or read it as a nullable type.");
        }

        try
        {
            return column is VectorReader<T> typed ? typed.Read(row) : ValueConversion.Convert<T>(column, row, _names[ordinal]);
        }
        catch (OverflowException error)
        {
            throw Unrepresentable(ordinal, typeof(T), error);
        }
    }

    public override object GetValue(int ordinal)
    {
        var column = Column(ordinal);
        var row = CurrentRow;
        try
        {
            return column.IsValid(row) ? column.GetValue(row) : DBNull.Value;
        }
        catch (OverflowException error)
        {
            throw Unrepresentable(ordinal, column.ClrType, error);
        }
    }

    public override int GetValues(object[] values)
    {
        var count = Math.Min(values.Length, _columns.Length);
        for (var i = 0; i < count; i++)
        {
            values[i] = GetValue(i);
        }

        return count;
    }

    public override bool IsDBNull(int ordinal) => !Column(ordinal).IsValid(CurrentRow);

    // The typed getters read their column's own reader directly when it is the usual one (a sealed class: an exact
    // type check, and Read inlined), which is most of the cost of reading every value; anything else, NULL included,
    // goes through GetFieldValue<T> and its conversions and messages.

    public override bool GetBoolean(int ordinal) =>
        Column(ordinal) is BooleanVectorReader reader && reader.IsValid(CurrentRow) ? reader.Read(CurrentRow) : GetFieldValue<bool>(ordinal);

    public override byte GetByte(int ordinal) => GetFieldValue<byte>(ordinal);

    public override char GetChar(int ordinal) => GetFieldValue<char>(ordinal);

    public override DateTime GetDateTime(int ordinal) =>
        Column(ordinal) is TimestampVectorReader reader && reader.IsValid(CurrentRow) ? reader.Read(CurrentRow) : GetFieldValue<DateTime>(ordinal);

    public override decimal GetDecimal(int ordinal) =>
        Column(ordinal) is DecimalVectorReader reader && reader.IsValid(CurrentRow) ? ReadDecimal(reader, ordinal) : GetFieldValue<decimal>(ordinal);

    public override double GetDouble(int ordinal) =>
        Column(ordinal) is PrimitiveVectorReader<double> reader && reader.IsValid(CurrentRow) ? reader.Read(CurrentRow) : GetFieldValue<double>(ordinal);

    public override float GetFloat(int ordinal) => GetFieldValue<float>(ordinal);

    public override Guid GetGuid(int ordinal) => GetFieldValue<Guid>(ordinal);

    public override short GetInt16(int ordinal) => GetFieldValue<short>(ordinal);

    public override int GetInt32(int ordinal) =>
        Column(ordinal) is PrimitiveVectorReader<int> reader && reader.IsValid(CurrentRow) ? reader.Read(CurrentRow) : GetFieldValue<int>(ordinal);

    public override long GetInt64(int ordinal) =>
        Column(ordinal) is PrimitiveVectorReader<long> reader && reader.IsValid(CurrentRow) ? reader.Read(CurrentRow) : GetFieldValue<long>(ordinal);

    /// <summary>The value as text; for LIST, STRUCT and MAP columns, JSON.</summary>
    public override string GetString(int ordinal) =>
        Column(ordinal) is VarcharVectorReader reader && reader.IsValid(CurrentRow) ? reader.Read(CurrentRow) : GetFieldValue<string>(ordinal);

    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length)
    {
        ReadOnlySpan<byte> bytes = Column(ordinal) is BlobVectorReader blob && IsValid(ordinal)
            ? blob.ReadSpan(CurrentRow)
            : GetFieldValue<byte[]>(ordinal);
        return CopyOut(bytes, dataOffset, buffer, bufferOffset, length);
    }

    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) =>
        CopyOut(GetString(ordinal).AsSpan(), dataOffset, buffer, bufferOffset, length);

    private decimal ReadDecimal(DecimalVectorReader reader, int ordinal)
    {
        try
        {
            return reader.Read(CurrentRow);
        }
        catch (OverflowException error)
        {
            throw Unrepresentable(ordinal, typeof(decimal), error);
        }
    }

    /// <summary>
    /// A value DuckDB holds but the CLR type cannot (a 38-digit DECIMAL as decimal, a year past 9999): ADO.NET getters
    /// throw InvalidCastException for a value they cannot return, never a bare OverflowException.
    /// </summary>
    private InvalidCastException Unrepresentable(int ordinal, Type target, OverflowException error) => new(
        $"Column '{_names[ordinal]}' is {_columns[ordinal].TypeName}; its value cannot be read as {target.Name}: {error.Message}", error);

    private static long CopyOut<T>(ReadOnlySpan<T> source, long dataOffset, T[]? buffer, int bufferOffset, int length)
    {
        if (buffer is null)
        {
            return source.Length;
        }

        if (dataOffset >= source.Length)
        {
            return 0;
        }

        var available = Math.Max(0, source.Length - (int)dataOffset);
        var count = Math.Min(available, length);
        source.Slice((int)dataOffset, count).CopyTo(buffer.AsSpan(bufferOffset));
        return count;
    }
}
