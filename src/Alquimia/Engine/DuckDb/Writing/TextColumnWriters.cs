using System.Buffers;
using System.Text;
using System.Text.Unicode;
using Alquimia.Engine.DuckDb.Native;
using Alquimia.Engine.DuckDb.Reading;

namespace Alquimia.Engine.DuckDb.Writing;

/// <summary>
/// VARCHAR and BLOB: values of 12 bytes or fewer are written inline into the vector's 16-byte slot, as DuckDB
/// itself does; longer ones are copied into the vector's string heap by <c>duckdb_unsafe_vector_assign_string_element_len</c>.
/// </summary>
internal abstract unsafe class StringSlotColumnWriter(string columnName, string typeName) : ColumnWriter(columnName, typeName)
{
    protected void WriteBytes(ulong row, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length <= DuckDbStringSlot.MaxInlined)
        {
            var slot = (byte*)Data + (row * DuckDbStringSlot.Size);
            // Inlined strings are compared on all 16 bytes: the unused tail must be zero.
            *(ulong*)(slot + 8) = 0;
            *(uint*)(slot + 4) = 0;
            *(uint*)slot = (uint)bytes.Length;
            bytes.CopyTo(new Span<byte>(slot + 4, DuckDbStringSlot.MaxInlined));
            return;
        }

        fixed (byte* pointer = bytes)
        {
            NativeMethods.Vectors.UnsafeAssignStringElementLength(Vector, row, pointer, (ulong)bytes.Length);
        }
    }
}

/// <summary>VARCHAR, encoded as UTF-8.</summary>
internal sealed class VarcharColumnWriter(string columnName) : StringSlotColumnWriter(columnName, "VARCHAR")
{
    /// <summary>Strings up to this many UTF-8 bytes are encoded on the stack.</summary>
    private const int StackEncodingLimit = 1024;

    public override void WriteString(ulong row, string value)
    {
        var maxBytes = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (maxBytes <= StackEncodingLimit)
        {
            Span<byte> buffer = stackalloc byte[maxBytes];
            WriteBytes(row, buffer[..Encoding.UTF8.GetBytes(value, buffer)]);
            return;
        }

        var rented = ArrayPool<byte>.Shared.Rent(maxBytes);
        try
        {
            WriteBytes(row, rented.AsSpan(0, Encoding.UTF8.GetBytes(value, rented)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Text already encoded, as a database sends it: copied as it is once it is known to be valid UTF-8, which DuckDB requires.</summary>
    public override void WriteUtf8(ulong row, ReadOnlySpan<byte> value)
    {
        if (!Utf8.IsValid(value))
        {
            throw new ArgumentException($"The value for column '{ColumnName}' (VARCHAR) is not valid UTF-8 text; append it as a BLOB, or decode it first.");
        }

        WriteBytes(row, value);
    }
}

/// <summary>BLOB.</summary>
internal sealed class BlobColumnWriter(string columnName) : StringSlotColumnWriter(columnName, "BLOB")
{
    public override void WriteBlob(ulong row, ReadOnlySpan<byte> value) => WriteBytes(row, value);
}

/// <summary>ENUM: the member's name is written as its index in the type's dictionary.</summary>
internal sealed unsafe class EnumColumnWriter(string columnName, DuckDbType storage, string[] members)
    : ColumnWriter(columnName, "ENUM")
{
    private readonly Dictionary<string, int> _indexes = members.Select((member, index) => (member, index))
        .ToDictionary(pair => pair.member, pair => pair.index, StringComparer.Ordinal);

    public override void WriteString(ulong row, string value)
    {
        if (!_indexes.TryGetValue(value, out var index))
        {
            throw new ArgumentException(
                $"'{value}' is not a member of the ENUM of column '{ColumnName}'. Its members are: {string.Join(", ", members)}.");
        }

        switch (storage)
        {
            case DuckDbType.UTinyInt:
                ((byte*)Data)[row] = (byte)index;
                break;
            case DuckDbType.USmallInt:
                ((ushort*)Data)[row] = (ushort)index;
                break;
            default:
                ((uint*)Data)[row] = (uint)index;
                break;
        }
    }
}

/// <summary>A type the appender cannot fill (BIT, BIGNUM, …): only NULL may be appended to it.</summary>
internal sealed class UnsupportedColumnWriter(string columnName, string typeName) : ColumnWriter(columnName, typeName);
