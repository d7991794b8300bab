using System.Globalization;
using Alquimia.Engine.DuckDb.Native;

namespace Alquimia.Engine.DuckDb.Reading;

/// <summary>Builds the reader for a column from its logical type, recursively for nested types.</summary>
internal static class VectorReaderFactory
{
    public static VectorReader Create(DuckDbLogicalTypeHandle type)
    {
        var id = NativeMethods.LogicalTypes.GetTypeId(type);
        return id switch
        {
            DuckDbType.Boolean => new BooleanVectorReader("BOOLEAN"),
            DuckDbType.TinyInt => new PrimitiveVectorReader<sbyte>(id, "TINYINT"),
            DuckDbType.SmallInt => new PrimitiveVectorReader<short>(id, "SMALLINT"),
            DuckDbType.Integer => new PrimitiveVectorReader<int>(id, "INTEGER"),
            DuckDbType.BigInt => new PrimitiveVectorReader<long>(id, "BIGINT"),
            DuckDbType.UTinyInt => new PrimitiveVectorReader<byte>(id, "UTINYINT"),
            DuckDbType.USmallInt => new PrimitiveVectorReader<ushort>(id, "USMALLINT"),
            DuckDbType.UInteger => new PrimitiveVectorReader<uint>(id, "UINTEGER"),
            DuckDbType.UBigInt => new PrimitiveVectorReader<ulong>(id, "UBIGINT"),
            DuckDbType.Float => new PrimitiveVectorReader<float>(id, "FLOAT"),
            DuckDbType.Double => new PrimitiveVectorReader<double>(id, "DOUBLE"),
            DuckDbType.HugeInt => new PrimitiveVectorReader<Int128>(id, "HUGEINT"),
            DuckDbType.UHugeInt => new PrimitiveVectorReader<UInt128>(id, "UHUGEINT"),
            DuckDbType.Decimal => CreateDecimal(type),
            DuckDbType.Varchar => new VarcharVectorReader("VARCHAR"),
            DuckDbType.Blob => new BlobVectorReader("BLOB"),
            DuckDbType.Date => new DateVectorReader("DATE"),
            DuckDbType.Time => new TimeVectorReader(id, "TIME", nanoseconds: false),
            DuckDbType.TimeNs => new TimeVectorReader(id, "TIME_NS", nanoseconds: true),
            DuckDbType.TimeTz => new TimeTzVectorReader("TIME WITH TIME ZONE"),
            DuckDbType.Timestamp => new TimestampVectorReader(id, "TIMESTAMP", TimeSpan.TicksPerMicrosecond),
            DuckDbType.TimestampS => new TimestampVectorReader(id, "TIMESTAMP_S", TimeSpan.TicksPerSecond),
            DuckDbType.TimestampMs => new TimestampVectorReader(id, "TIMESTAMP_MS", TimeSpan.TicksPerMillisecond),
            DuckDbType.TimestampNs => new TimestampVectorReader(id, "TIMESTAMP_NS", ticksPerUnit: 0),
            DuckDbType.TimestampTz => new TimestampTzVectorReader("TIMESTAMP WITH TIME ZONE"),
            DuckDbType.Interval => new IntervalVectorReader("INTERVAL"),
            DuckDbType.Uuid => new UuidVectorReader("UUID"),
            DuckDbType.Enum => CreateEnum(type),
            DuckDbType.List => CreateList(type),
            DuckDbType.Array => CreateArray(type),
            DuckDbType.Struct => CreateStruct(type),
            DuckDbType.Map => CreateMap(type),
            DuckDbType.Union => CreateUnion(type),
            _ => new UnsupportedVectorReader(id, id.ToString().ToUpperInvariant()),
        };
    }

    private static DecimalVectorReader CreateDecimal(DuckDbLogicalTypeHandle type)
    {
        var width = NativeMethods.LogicalTypes.DecimalWidth(type);
        var scale = NativeMethods.LogicalTypes.DecimalScale(type);
        var storage = NativeMethods.LogicalTypes.DecimalInternalType(type);
        return new DecimalVectorReader(string.Create(CultureInfo.InvariantCulture, $"DECIMAL({width},{scale})"), storage, scale);
    }

    /// <summary>The names of an ENUM type's members, in index order.</summary>
    public static string[] EnumMembers(DuckDbLogicalTypeHandle type)
    {
        var size = NativeMethods.LogicalTypes.EnumDictionarySize(type);
        var members = new string[size];
        for (var i = 0u; i < size; i++)
        {
            members[i] = NativeMethods.LogicalTypes.EnumDictionaryValue(type, i);
        }

        return members;
    }

    private static EnumVectorReader CreateEnum(DuckDbLogicalTypeHandle type) =>
        new("ENUM", NativeMethods.LogicalTypes.EnumInternalType(type), EnumMembers(type));

    private static ListVectorReader CreateList(DuckDbLogicalTypeHandle type)
    {
        using var childType = NativeMethods.LogicalTypes.ListTypeChildType(type);
        var element = Create(childType);
        return new ListVectorReader(element.TypeName + "[]", element);
    }

    private static ArrayVectorReader CreateArray(DuckDbLogicalTypeHandle type)
    {
        using var childType = NativeMethods.LogicalTypes.ArrayTypeChildType(type);
        var element = Create(childType);
        var size = NativeMethods.LogicalTypes.ArrayTypeArraySize(type);
        return new ArrayVectorReader(string.Create(CultureInfo.InvariantCulture, $"{element.TypeName}[{size}]"), element, size);
    }

    private static StructVectorReader CreateStruct(DuckDbLogicalTypeHandle type)
    {
        var count = (int)NativeMethods.LogicalTypes.StructTypeChildCount(type);
        var names = new string[count];
        var fields = new VectorReader[count];
        for (var i = 0; i < count; i++)
        {
            names[i] = NativeMethods.LogicalTypes.StructTypeChildName(type, (ulong)i);
            using var fieldType = NativeMethods.LogicalTypes.StructTypeChildType(type, (ulong)i);
            fields[i] = Create(fieldType);
        }

        var typeName = $"STRUCT({string.Join(", ", names.Select((name, i) => $"{name} {fields[i].TypeName}"))})";
        return new StructVectorReader(typeName, names, fields);
    }

    private static MapVectorReader CreateMap(DuckDbLogicalTypeHandle type)
    {
        using var keyType = NativeMethods.LogicalTypes.MapTypeKeyType(type);
        using var valueType = NativeMethods.LogicalTypes.MapTypeValueType(type);
        var key = Create(keyType);
        var value = Create(valueType);
        return new MapVectorReader($"MAP({key.TypeName}, {value.TypeName})", key, value);
    }

    private static UnionVectorReader CreateUnion(DuckDbLogicalTypeHandle type)
    {
        var count = (int)NativeMethods.LogicalTypes.UnionTypeMemberCount(type);
        var members = new VectorReader[count];
        var names = new string[count];
        for (var i = 0; i < count; i++)
        {
            names[i] = NativeMethods.LogicalTypes.UnionTypeMemberName(type, (ulong)i);
            using var memberType = NativeMethods.LogicalTypes.UnionTypeMemberType(type, (ulong)i);
            members[i] = Create(memberType);
        }

        var typeName = $"UNION({string.Join(", ", names.Select((name, i) => $"{name} {members[i].TypeName}"))})";
        return new UnionVectorReader(typeName, members);
    }
}
