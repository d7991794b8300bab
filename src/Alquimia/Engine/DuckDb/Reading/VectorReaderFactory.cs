using Alquimia.Engine.DuckDb.Native;

namespace Alquimia.Engine.DuckDb.Reading;

/// <summary>Builds the reader for a column from its logical type, recursively for nested types.</summary>
internal static class VectorReaderFactory
{
    public static VectorReader Create(DuckDbLogicalTypeHandle type)
    {
        var id = NativeMethods.LogicalTypes.GetTypeId(type);
        var name = DuckDbTypeNames.Of(type);
        return id switch
        {
            DuckDbType.Boolean => new BooleanVectorReader(name),
            DuckDbType.TinyInt => new PrimitiveVectorReader<sbyte>(id, name),
            DuckDbType.SmallInt => new PrimitiveVectorReader<short>(id, name),
            DuckDbType.Integer => new PrimitiveVectorReader<int>(id, name),
            DuckDbType.BigInt => new PrimitiveVectorReader<long>(id, name),
            DuckDbType.UTinyInt => new PrimitiveVectorReader<byte>(id, name),
            DuckDbType.USmallInt => new PrimitiveVectorReader<ushort>(id, name),
            DuckDbType.UInteger => new PrimitiveVectorReader<uint>(id, name),
            DuckDbType.UBigInt => new PrimitiveVectorReader<ulong>(id, name),
            DuckDbType.Float => new PrimitiveVectorReader<float>(id, name),
            DuckDbType.Double => new PrimitiveVectorReader<double>(id, name),
            DuckDbType.HugeInt => new PrimitiveVectorReader<Int128>(id, name),
            DuckDbType.UHugeInt => new PrimitiveVectorReader<UInt128>(id, name),
            DuckDbType.Decimal => new DecimalVectorReader(name, NativeMethods.LogicalTypes.DecimalInternalType(type),
                NativeMethods.LogicalTypes.DecimalScale(type)),
            DuckDbType.Varchar => new VarcharVectorReader(name),
            DuckDbType.Blob => new BlobVectorReader(name),
            DuckDbType.Date => new DateVectorReader(name),
            DuckDbType.Time => new TimeVectorReader(id, name, nanoseconds: false),
            DuckDbType.TimeNs => new TimeVectorReader(id, name, nanoseconds: true),
            DuckDbType.TimeTz => new TimeTzVectorReader(name),
            DuckDbType.Timestamp => new TimestampVectorReader(id, name, TimeSpan.TicksPerMicrosecond),
            DuckDbType.TimestampS => new TimestampVectorReader(id, name, TimeSpan.TicksPerSecond),
            DuckDbType.TimestampMs => new TimestampVectorReader(id, name, TimeSpan.TicksPerMillisecond),
            DuckDbType.TimestampNs => new TimestampVectorReader(id, name, ticksPerUnit: 0),
            DuckDbType.TimestampTz => new TimestampTzVectorReader(name),
            DuckDbType.Interval => new IntervalVectorReader(name),
            DuckDbType.Uuid => new UuidVectorReader(name),
            DuckDbType.Enum => new EnumVectorReader(name, NativeMethods.LogicalTypes.EnumInternalType(type), EnumMembers(type)),
            DuckDbType.List => new ListVectorReader(name, CreateChild(NativeMethods.LogicalTypes.ListTypeChildType(type))),
            DuckDbType.Array => new ArrayVectorReader(name, CreateChild(NativeMethods.LogicalTypes.ArrayTypeChildType(type)),
                NativeMethods.LogicalTypes.ArrayTypeArraySize(type)),
            DuckDbType.Struct => CreateStruct(type, name),
            DuckDbType.Map => new MapVectorReader(name, CreateChild(NativeMethods.LogicalTypes.MapTypeKeyType(type)),
                CreateChild(NativeMethods.LogicalTypes.MapTypeValueType(type))),
            DuckDbType.Union => CreateUnion(type, name),
            _ => new UnsupportedVectorReader(id, name),
        };
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

    /// <summary>The reader of a child type, which is then released: every child type is returned to us to destroy.</summary>
    private static VectorReader CreateChild(DuckDbLogicalTypeHandle child)
    {
        using (child)
        {
            return Create(child);
        }
    }

    private static StructVectorReader CreateStruct(DuckDbLogicalTypeHandle type, string name)
    {
        var count = (int)NativeMethods.LogicalTypes.StructTypeChildCount(type);
        var names = new string[count];
        var fields = new VectorReader[count];
        for (var i = 0; i < count; i++)
        {
            names[i] = NativeMethods.LogicalTypes.StructTypeChildName(type, (ulong)i);
            fields[i] = CreateChild(NativeMethods.LogicalTypes.StructTypeChildType(type, (ulong)i));
        }

        return new StructVectorReader(name, names, fields);
    }

    private static UnionVectorReader CreateUnion(DuckDbLogicalTypeHandle type, string name)
    {
        var members = new VectorReader[(int)NativeMethods.LogicalTypes.UnionTypeMemberCount(type)];
        for (var i = 0; i < members.Length; i++)
        {
            members[i] = CreateChild(NativeMethods.LogicalTypes.UnionTypeMemberType(type, (ulong)i));
        }

        return new UnionVectorReader(name, members);
    }
}
