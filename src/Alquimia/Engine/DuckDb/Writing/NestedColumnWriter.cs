using Alquimia.Engine.DuckDb.Native;

namespace Alquimia.Engine.DuckDb.Writing;

/// <summary>
/// STRUCT, LIST, MAP, ARRAY and UNION: the appender cannot fill them yet, so only NULL may be appended, and a NULL
/// must reach the child vectors too. DuckDB copies a nested column's children without looking at the parent's
/// mask, and a chunk's children hold whatever the memory held: an unset list entry sent it reading strings from a
/// wild address, which crashed the process (ColumnDataCopy, under the appender's flush).
/// </summary>
internal sealed class NestedColumnWriter(string columnName, string typeName, NestedNull nulls) : ColumnWriter(columnName, typeName)
{
    public override void WriteNull(ulong row) => nulls.Write(Vector, row);
}

/// <summary>
/// Writes NULL at one row of a vector and, below a nested type, at every child row it owns: as DuckDB keeps its own
/// nested vectors, a NULL struct has NULL fields, and a NULL list is an empty one.
/// </summary>
internal sealed unsafe class NestedNull
{
    private readonly DuckDbType _type;
    private readonly NestedNull[] _children;
    private readonly ulong _arraySize;

    private NestedNull(DuckDbType type, NestedNull[] children, ulong arraySize)
    {
        _type = type;
        _children = children;
        _arraySize = arraySize;
    }

    /// <summary>The NULL writer for a column of <paramref name="type"/>, or null when the type is not nested.</summary>
    public static NestedNull? For(DuckDbLogicalTypeHandle type)
    {
        var id = NativeMethods.LogicalTypes.GetTypeId(type);
        return id is DuckDbType.Struct or DuckDbType.Union or DuckDbType.List or DuckDbType.Map or DuckDbType.Array
            ? Build(type)
            : null;
    }

    public void Write(nint vector, ulong row)
    {
        NativeMethods.Vectors.EnsureValidityWritable(vector);
        var validity = NativeMethods.Vectors.GetValidity(vector);
        validity[row >> 6] &= ~(1UL << (int)(row & 63));
        switch (_type)
        {
            case DuckDbType.List or DuckDbType.Map:
                // Offset 0, length 0: a range of the child vector that exists whatever the child holds.
                ((DuckDbListEntry*)NativeMethods.Vectors.GetData(vector))[row] = default;
                break;
            case DuckDbType.Struct or DuckDbType.Union:
                // A UNION is laid out as a STRUCT whose first child is the member tag.
                for (var i = 0; i < _children.Length; i++)
                {
                    _children[i].Write(NativeMethods.Vectors.StructVectorGetChild(vector, (ulong)i), row);
                }

                break;
            case DuckDbType.Array:
                var child = NativeMethods.Vectors.ArrayVectorGetChild(vector);
                for (var element = row * _arraySize; element < (row + 1) * _arraySize; element++)
                {
                    _children[0].Write(child, element);
                }

                break;
        }
    }

    private static NestedNull Build(DuckDbLogicalTypeHandle type)
    {
        var id = NativeMethods.LogicalTypes.GetTypeId(type);
        switch (id)
        {
            case DuckDbType.Struct:
                var fields = new NestedNull[NativeMethods.LogicalTypes.StructTypeChildCount(type)];
                for (var i = 0; i < fields.Length; i++)
                {
                    using var field = NativeMethods.LogicalTypes.StructTypeChildType(type, (ulong)i);
                    fields[i] = Build(field);
                }

                return new NestedNull(id, fields, arraySize: 0);
            case DuckDbType.Union:
                var members = new NestedNull[NativeMethods.LogicalTypes.UnionTypeMemberCount(type) + 1];
                members[0] = new NestedNull(DuckDbType.UTinyInt, [], arraySize: 0);
                for (var i = 1; i < members.Length; i++)
                {
                    using var member = NativeMethods.LogicalTypes.UnionTypeMemberType(type, (ulong)(i - 1));
                    members[i] = Build(member);
                }

                return new NestedNull(id, members, arraySize: 0);
            case DuckDbType.Array:
                using (var element = NativeMethods.LogicalTypes.ArrayTypeChildType(type))
                {
                    return new NestedNull(id, [Build(element)], NativeMethods.LogicalTypes.ArrayTypeArraySize(type));
                }

            default:
                // A list's elements live past the child's size, which a NULL leaves as it is: nothing below to write.
                return new NestedNull(id, [], arraySize: 0);
        }
    }
}
