using System.Text;
using System.Text.Json;

namespace Alquimia.Engine.DuckDb.Reading;

/// <summary>
/// <c>duckdb_string_t</c>, the 16-byte slot behind VARCHAR and BLOB: a 4-byte length, then either the bytes
/// themselves when there are 12 or fewer, or a 4-byte prefix and a pointer into the vector's heap.
/// </summary>
internal static unsafe class DuckDbStringSlot
{
    public const int Size = 16;
    public const int MaxInlined = 12;

    public static ReadOnlySpan<byte> Bytes(void* data, ulong row)
    {
        var slot = (byte*)data + (row * Size);
        var length = *(uint*)slot;
        var bytes = length <= MaxInlined ? slot + 4 : *(byte**)(slot + 8);
        return new ReadOnlySpan<byte>(bytes, (int)length);
    }
}

/// <summary>VARCHAR, decoded from UTF-8. The bytes are copied out: the string outlives the chunk.</summary>
internal sealed unsafe class VarcharVectorReader(string typeName) : VectorReader<string>(DuckDbType.Varchar, typeName)
{
    public override string Read(ulong row) => Encoding.UTF8.GetString(DuckDbStringSlot.Bytes(Data, row));

    public override string GetString(ulong row) => Read(row);

    public override void WriteJson(Utf8JsonWriter writer, ulong row) =>
        writer.WriteStringValue(DuckDbStringSlot.Bytes(Data, row));
}

/// <summary>BLOB, as a copied <see cref="byte"/> array; in JSON, Base64.</summary>
internal sealed unsafe class BlobVectorReader(string typeName) : VectorReader<byte[]>(DuckDbType.Blob, typeName)
{
    public override byte[] Read(ulong row) => DuckDbStringSlot.Bytes(Data, row).ToArray();

    /// <summary>The blob's bytes, valid until the chunk moves on.</summary>
    public ReadOnlySpan<byte> ReadSpan(ulong row) => DuckDbStringSlot.Bytes(Data, row);

    /// <summary>Hex, as DuckDB writes a blob that is cast to text without escapes.</summary>
    public override string GetString(ulong row) => Convert.ToHexString(ReadSpan(row));

    public override void WriteJson(Utf8JsonWriter writer, ulong row) => writer.WriteBase64StringValue(ReadSpan(row));
}

/// <summary>ENUM: an index of 8, 16 or 32 bits into the type's dictionary, read as the member's name.</summary>
internal sealed unsafe class EnumVectorReader(string typeName, DuckDbType storage, string[] members)
    : VectorReader<string>(DuckDbType.Enum, typeName)
{
    public override string Read(ulong row) => members[storage switch
    {
        DuckDbType.UTinyInt => ((byte*)Data)[row],
        DuckDbType.USmallInt => ((ushort*)Data)[row],
        _ => (int)((uint*)Data)[row],
    }];

    public override string GetString(ulong row) => Read(row);
}

/// <summary>A type the binding cannot read yet (BIT, BIGNUM, …): the query runs, and reading the column says what to do.</summary>
internal sealed class UnsupportedVectorReader(DuckDbType type, string typeName) : VectorReader<object>(type, typeName)
{
    public override object Read(ulong row) => throw new NotSupportedException(
        $"Alquimia cannot read DuckDB values of type {TypeName} yet. Cast the column in the query, e.g. CAST(column AS VARCHAR).");
}
