using System.Buffers.Binary;

namespace Alquimia.Engine.DuckDb.Native;

/// <summary>
/// A <see cref="Guid"/> as DuckDB holds a UUID: one 128-bit number of the UUID's bytes, most significant first
/// (the RFC 4122 text order, not the mixed-endian order of <see cref="Guid.ToByteArray()"/>).
/// </summary>
internal static class DuckDbUuid
{
    /// <summary>The top bit of the upper word, flipped in storage so that UUIDs sort as their text does.</summary>
    private const ulong SortBit = 1UL << 63;

    /// <summary>The value in a UUID vector: the number as a HUGEINT, with its top bit flipped.</summary>
    public static DuckDbHugeInt ToHugeInt(Guid value)
    {
        var number = ToUHugeInt(value);
        return new DuckDbHugeInt(number.Lower, (long)(number.Upper ^ SortBit));
    }

    /// <summary>The Guid of a value read from a UUID vector.</summary>
    public static Guid FromHugeInt(DuckDbHugeInt value) => FromUHugeInt(new DuckDbUHugeInt(value.Lower, (ulong)value.Upper ^ SortBit));

    /// <summary>The number itself, as <c>duckdb_create_uuid</c> takes it and <c>duckdb_get_uuid</c> returns it.</summary>
    public static DuckDbUHugeInt ToUHugeInt(Guid value)
    {
        Span<byte> bytes = stackalloc byte[16];
        value.TryWriteBytes(bytes, bigEndian: true, out _);
        return new DuckDbUHugeInt(BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]), BinaryPrimitives.ReadUInt64BigEndian(bytes));
    }

    /// <summary>The Guid of the number <see cref="ToUHugeInt"/> makes.</summary>
    public static Guid FromUHugeInt(DuckDbUHugeInt value)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value.Upper);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], value.Lower);
        return new Guid(bytes, bigEndian: true);
    }
}
