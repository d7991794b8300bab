using System.Globalization;

namespace Alquimia.Engine.DuckDb.Native;

/// <summary>
/// The SQL name of a logical type, as error messages show it: <c>DECIMAL(18,2)</c>, <c>INTEGER[]</c>,
/// <c>STRUCT(id BIGINT, tags VARCHAR[])</c>. Nested types are named from their children, recursively.
/// </summary>
internal static class DuckDbTypeNames
{
    public static string Of(DuckDbLogicalTypeHandle type)
    {
        var id = NativeMethods.LogicalTypes.GetTypeId(type);
        return id switch
        {
            DuckDbType.Decimal => string.Create(CultureInfo.InvariantCulture,
                $"DECIMAL({NativeMethods.LogicalTypes.DecimalWidth(type)},{NativeMethods.LogicalTypes.DecimalScale(type)})"),
            DuckDbType.List => OfChild(NativeMethods.LogicalTypes.ListTypeChildType(type)) + "[]",
            DuckDbType.Array => string.Create(CultureInfo.InvariantCulture,
                $"{OfChild(NativeMethods.LogicalTypes.ArrayTypeChildType(type))}[{NativeMethods.LogicalTypes.ArrayTypeArraySize(type)}]"),
            DuckDbType.Map => $"MAP({OfChild(NativeMethods.LogicalTypes.MapTypeKeyType(type))}, {OfChild(NativeMethods.LogicalTypes.MapTypeValueType(type))})",
            DuckDbType.Struct => $"STRUCT({Members(NativeMethods.LogicalTypes.StructTypeChildCount(type), i => NativeMethods.LogicalTypes.StructTypeChildName(type, i), i => NativeMethods.LogicalTypes.StructTypeChildType(type, i))})",
            DuckDbType.Union => $"UNION({Members(NativeMethods.LogicalTypes.UnionTypeMemberCount(type), i => NativeMethods.LogicalTypes.UnionTypeMemberName(type, i), i => NativeMethods.LogicalTypes.UnionTypeMemberType(type, i))})",
            _ => Of(id),
        };
    }

    /// <summary>The name of a type that has no parameters or children; for the others, only its kind (<c>DECIMAL</c>, <c>LIST</c>).</summary>
    public static string Of(DuckDbType id) => id switch
    {
        DuckDbType.TimeTz => "TIME WITH TIME ZONE",
        DuckDbType.TimestampTz => "TIMESTAMP WITH TIME ZONE",
        DuckDbType.TimestampS => "TIMESTAMP_S",
        DuckDbType.TimestampMs => "TIMESTAMP_MS",
        DuckDbType.TimestampNs => "TIMESTAMP_NS",
        DuckDbType.TimeNs => "TIME_NS",
        _ => id.ToString().ToUpperInvariant(),
    };

    /// <summary>Names a child type, then releases it: every child type is returned to us to destroy.</summary>
    private static string OfChild(DuckDbLogicalTypeHandle child)
    {
        using (child)
        {
            return Of(child);
        }
    }

    private static string Members(ulong count, Func<ulong, string> name, Func<ulong, DuckDbLogicalTypeHandle> type) =>
        string.Join(", ", Enumerable.Range(0, (int)count).Select(i => $"{name((ulong)i)} {OfChild(type((ulong)i))}"));
}
