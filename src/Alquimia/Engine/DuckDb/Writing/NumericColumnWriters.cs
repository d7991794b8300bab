using System.Numerics;
using Alquimia.Engine.DuckDb.Native;

namespace Alquimia.Engine.DuckDb.Writing;

/// <summary>BOOLEAN: one byte per value.</summary>
internal sealed unsafe class BooleanColumnWriter(string columnName) : ColumnWriter(columnName, "BOOLEAN")
{
    public override void WriteBoolean(ulong row, bool value) => ((byte*)Data)[row] = value ? (byte)1 : (byte)0;
}

/// <summary>
/// Every signed and unsigned integer width, HUGEINT and UHUGEINT included (Int128 is laid out in memory as
/// duckdb_hugeint: lower word first); a value that does not fit is refused.
/// </summary>
internal sealed unsafe class IntegerColumnWriter<T>(string columnName, string typeName) : ColumnWriter(columnName, typeName)
    where T : unmanaged, IBinaryInteger<T>
{
    public override void WriteInt64(ulong row, long value) => Store(row, value);

    public override void WriteUInt64(ulong row, ulong value) => Store(row, value);

    public override void WriteInt128(ulong row, Int128 value) => Store(row, value);

    public override void WriteUInt128(ulong row, UInt128 value) => Store(row, value);

    private void Store<TValue>(ulong row, TValue value)
        where TValue : IBinaryInteger<TValue>
    {
        T converted;
        try
        {
            converted = T.CreateChecked(value);
        }
        catch (OverflowException)
        {
            throw OutOfRange(value);
        }

        ((T*)Data)[row] = converted;
    }
}

/// <summary>FLOAT and DOUBLE.</summary>
internal sealed unsafe class FloatingColumnWriter<T>(string columnName, string typeName) : ColumnWriter(columnName, typeName)
    where T : unmanaged, IFloatingPoint<T>
{
    public override void WriteDouble(ulong row, double value) => ((T*)Data)[row] = T.CreateTruncating(value);

    public override void WriteInt64(ulong row, long value) => ((T*)Data)[row] = T.CreateTruncating(value);

    public override void WriteDecimal(ulong row, DuckDbDecimal value) => ((T*)Data)[row] = T.CreateTruncating(value.ToDecimal());
}

/// <summary>
/// DECIMAL(width, scale), stored as a 16-, 32-, 64- or 128-bit unscaled integer. Values are brought to the
/// column's scale (rounded half away from zero, as DuckDB's cast does) and refused when wider than its width.
/// </summary>
internal sealed unsafe class DecimalColumnWriter(string columnName, string typeName, DuckDbType storage, byte width, byte scale)
    : ColumnWriter(columnName, typeName)
{
    private readonly Int128 _limit = Int128.Parse("1".PadRight(width + 1, '0'), System.Globalization.CultureInfo.InvariantCulture);

    public override void WriteDecimal(ulong row, DuckDbDecimal value)
    {
        Int128 unscaled;
        try
        {
            unscaled = value.UnscaledAt(scale);
        }
        catch (OverflowException)
        {
            throw OutOfRange(value);
        }

        if (Int128.Abs(unscaled) >= _limit)
        {
            throw OutOfRange(value);
        }

        switch (storage)
        {
            case DuckDbType.SmallInt:
                ((short*)Data)[row] = (short)unscaled;
                break;
            case DuckDbType.Integer:
                ((int*)Data)[row] = (int)unscaled;
                break;
            case DuckDbType.BigInt:
                ((long*)Data)[row] = (long)unscaled;
                break;
            default:
                ((Int128*)Data)[row] = unscaled;
                break;
        }
    }

    public override void WriteInt64(ulong row, long value) => WriteDecimal(row, new DuckDbDecimal(value, 0));

    public override void WriteDouble(ulong row, double value) => WriteDecimal(row, DuckDbDecimal.FromDecimal((decimal)value));
}
