using Alquimia.Engine.DuckDb.Native;
using Alquimia.Engine.DuckDb.Reading;

namespace Alquimia.Engine.DuckDb.Writing;

/// <summary>Builds the writer for an appender's column from its logical type.</summary>
internal static class ColumnWriterFactory
{
    public static ColumnWriter Create(string columnName, DuckDbLogicalTypeHandle type)
    {
        var id = NativeMethods.LogicalTypes.GetTypeId(type);
        return id switch
        {
            DuckDbType.Boolean => new BooleanColumnWriter(columnName),
            DuckDbType.TinyInt => new IntegerColumnWriter<sbyte>(columnName, "TINYINT"),
            DuckDbType.SmallInt => new IntegerColumnWriter<short>(columnName, "SMALLINT"),
            DuckDbType.Integer => new IntegerColumnWriter<int>(columnName, "INTEGER"),
            DuckDbType.BigInt => new IntegerColumnWriter<long>(columnName, "BIGINT"),
            DuckDbType.UTinyInt => new IntegerColumnWriter<byte>(columnName, "UTINYINT"),
            DuckDbType.USmallInt => new IntegerColumnWriter<ushort>(columnName, "USMALLINT"),
            DuckDbType.UInteger => new IntegerColumnWriter<uint>(columnName, "UINTEGER"),
            DuckDbType.UBigInt => new IntegerColumnWriter<ulong>(columnName, "UBIGINT"),
            DuckDbType.HugeInt => new IntegerColumnWriter<Int128>(columnName, "HUGEINT"),
            DuckDbType.UHugeInt => new IntegerColumnWriter<UInt128>(columnName, "UHUGEINT"),
            DuckDbType.Float => new FloatingColumnWriter<float>(columnName, "FLOAT"),
            DuckDbType.Double => new FloatingColumnWriter<double>(columnName, "DOUBLE"),
            DuckDbType.Decimal => CreateDecimal(columnName, type),
            DuckDbType.Varchar => new VarcharColumnWriter(columnName),
            DuckDbType.Blob => new BlobColumnWriter(columnName),
            DuckDbType.Date => new DateColumnWriter(columnName),
            DuckDbType.Time => new TimeColumnWriter(columnName),
            DuckDbType.Timestamp => new TimestampColumnWriter(columnName, "TIMESTAMP", TimeSpan.TicksPerMicrosecond),
            DuckDbType.TimestampS => new TimestampColumnWriter(columnName, "TIMESTAMP_S", TimeSpan.TicksPerSecond),
            DuckDbType.TimestampMs => new TimestampColumnWriter(columnName, "TIMESTAMP_MS", TimeSpan.TicksPerMillisecond),
            DuckDbType.TimestampNs => new TimestampColumnWriter(columnName, "TIMESTAMP_NS", ticksPerUnit: 0),
            DuckDbType.TimestampTz => new TimestampTzColumnWriter(columnName),
            DuckDbType.Interval => new IntervalColumnWriter(columnName),
            DuckDbType.Uuid => new UuidColumnWriter(columnName),
            DuckDbType.Enum => CreateEnum(columnName, type),
            _ => NestedNull.For(type) is { } nulls
                ? new NestedColumnWriter(columnName, DuckDbTypeNames.Of(type), nulls)
                : new UnsupportedColumnWriter(columnName, DuckDbTypeNames.Of(type)),
        };
    }

    private static DecimalColumnWriter CreateDecimal(string columnName, DuckDbLogicalTypeHandle type)
    {
        var width = NativeMethods.LogicalTypes.DecimalWidth(type);
        var scale = NativeMethods.LogicalTypes.DecimalScale(type);
        return new DecimalColumnWriter(columnName, $"DECIMAL({width},{scale})", NativeMethods.LogicalTypes.DecimalInternalType(type), width, scale);
    }

    private static EnumColumnWriter CreateEnum(string columnName, DuckDbLogicalTypeHandle type) =>
        new(columnName, NativeMethods.LogicalTypes.EnumInternalType(type), VectorReaderFactory.EnumMembers(type));
}
