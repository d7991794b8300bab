using System.Runtime.InteropServices;

namespace Alquimia.Engine.DuckDb.Native;

/// <summary><c>duckdb_result</c>: the fields are deprecated and opaque to us; only its size and layout matter.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DuckDbResultStruct
{
    public ulong DeprecatedColumnCount;
    public ulong DeprecatedRowCount;
    public ulong DeprecatedRowsChanged;
    public nint DeprecatedColumns;
    public nint DeprecatedErrorMessage;
    public nint InternalData;
}

/// <summary><c>duckdb_decimal</c>: width and scale, and the unscaled value as a <c>duckdb_hugeint</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DuckDbDecimalNative
{
    public byte Width;
    public byte Scale;
    public DuckDbHugeInt Value;
}

/// <summary>
/// <c>duckdb_hugeint</c>. Not <see cref="Int128"/>: that is 16-byte aligned in .NET, this is two 8-byte words.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct DuckDbHugeInt(ulong lower, long upper)
{
    public readonly ulong Lower = lower;
    public readonly long Upper = upper;

    public static DuckDbHugeInt From(Int128 value) => new((ulong)value, (long)(value >> 64));

    public Int128 ToInt128() => new((ulong)Upper, Lower);
}

/// <summary><c>duckdb_uhugeint</c>, for the same reason as <see cref="DuckDbHugeInt"/>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct DuckDbUHugeInt(ulong lower, ulong upper)
{
    public readonly ulong Lower = lower;
    public readonly ulong Upper = upper;

    public static DuckDbUHugeInt From(UInt128 value) => new((ulong)value, (ulong)(value >> 64));

    public UInt128 ToUInt128() => new(Upper, Lower);
}

/// <summary><c>duckdb_list_entry</c>: where a row's list sits in the child vector.</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct DuckDbListEntry
{
    public readonly ulong Offset;
    public readonly ulong Length;
}
