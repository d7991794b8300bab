using System.Runtime.InteropServices;

namespace Alquimia.Engine.DuckDb.Native;

internal static partial class NativeMethods
{
    /// <summary>duckdb.h "Appender". We append whole data chunks, never one native call per value.</summary>
    internal static partial class Appender
    {
        [LibraryImport(LibraryName, EntryPoint = "duckdb_appender_create", StringMarshalling = StringMarshalling.Utf8)]
        internal static partial State Create(DuckDbConnectionHandle connection, string? schema, string table, out DuckDbAppenderHandle appender);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_appender_column_count")]
        internal static partial ulong ColumnCount(DuckDbAppenderHandle appender);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_appender_column_type")]
        internal static partial DuckDbLogicalTypeHandle ColumnType(DuckDbAppenderHandle appender, ulong column);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_appender_error_data")]
        internal static partial DuckDbErrorDataHandle ErrorData(DuckDbAppenderHandle appender);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_appender_flush")]
        internal static partial State Flush(DuckDbAppenderHandle appender);

        /// <summary>Drops the rows DuckDB holds but has not written, so that destroying the appender does not try them again.</summary>
        [LibraryImport(LibraryName, EntryPoint = "duckdb_appender_clear")]
        internal static partial State Clear(DuckDbAppenderHandle appender);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_appender_close")]
        internal static partial State Close(DuckDbAppenderHandle appender);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_appender_destroy")]
        internal static partial State Destroy(ref nint appender);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_append_data_chunk")]
        internal static partial State AppendDataChunk(DuckDbAppenderHandle appender, DuckDbDataChunkHandle chunk);
    }
}
