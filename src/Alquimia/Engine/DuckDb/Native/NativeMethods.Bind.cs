using System.Runtime.InteropServices;

namespace Alquimia.Engine.DuckDb.Native;

internal static partial class NativeMethods
{
    /// <summary>duckdb.h "Bind Values to Prepared Statements". Parameter indexes start at 1.</summary>
    internal static unsafe partial class Bind
    {
        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_parameter_index", StringMarshalling = StringMarshalling.Utf8)]
        internal static partial State ParameterIndex(DuckDbPreparedStatementHandle statement, out ulong index, string name);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_value")]
        internal static partial State Value(DuckDbPreparedStatementHandle statement, ulong index, DuckDbValueHandle value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_boolean")]
        internal static partial State Boolean(DuckDbPreparedStatementHandle statement, ulong index, [MarshalAs(UnmanagedType.U1)] bool value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_int8")]
        internal static partial State Int8(DuckDbPreparedStatementHandle statement, ulong index, sbyte value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_int16")]
        internal static partial State Int16(DuckDbPreparedStatementHandle statement, ulong index, short value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_int32")]
        internal static partial State Int32(DuckDbPreparedStatementHandle statement, ulong index, int value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_int64")]
        internal static partial State Int64(DuckDbPreparedStatementHandle statement, ulong index, long value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_hugeint")]
        internal static partial State HugeInt(DuckDbPreparedStatementHandle statement, ulong index, DuckDbHugeInt value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_uhugeint")]
        internal static partial State UHugeInt(DuckDbPreparedStatementHandle statement, ulong index, DuckDbUHugeInt value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_decimal")]
        internal static partial State Decimal(DuckDbPreparedStatementHandle statement, ulong index, DuckDbDecimalNative value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_uint8")]
        internal static partial State UInt8(DuckDbPreparedStatementHandle statement, ulong index, byte value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_uint16")]
        internal static partial State UInt16(DuckDbPreparedStatementHandle statement, ulong index, ushort value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_uint32")]
        internal static partial State UInt32(DuckDbPreparedStatementHandle statement, ulong index, uint value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_uint64")]
        internal static partial State UInt64(DuckDbPreparedStatementHandle statement, ulong index, ulong value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_float")]
        internal static partial State Float(DuckDbPreparedStatementHandle statement, ulong index, float value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_double")]
        internal static partial State Double(DuckDbPreparedStatementHandle statement, ulong index, double value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_date")]
        internal static partial State Date(DuckDbPreparedStatementHandle statement, ulong index, int daysSinceEpoch);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_time")]
        internal static partial State Time(DuckDbPreparedStatementHandle statement, ulong index, long microsSinceMidnight);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_timestamp")]
        internal static partial State Timestamp(DuckDbPreparedStatementHandle statement, ulong index, long microsSinceEpoch);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_timestamp_tz")]
        internal static partial State TimestampTz(DuckDbPreparedStatementHandle statement, ulong index, long microsSinceEpoch);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_interval")]
        internal static partial State Interval(DuckDbPreparedStatementHandle statement, ulong index, DuckDbInterval value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_varchar_length")]
        internal static partial State VarcharLength(DuckDbPreparedStatementHandle statement, ulong index, byte* value, ulong length);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_blob")]
        internal static partial State Blob(DuckDbPreparedStatementHandle statement, ulong index, byte* data, ulong length);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_bind_null")]
        internal static partial State Null(DuckDbPreparedStatementHandle statement, ulong index);
    }
}
