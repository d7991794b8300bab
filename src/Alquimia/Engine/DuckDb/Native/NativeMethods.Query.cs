using System.Runtime.InteropServices;
using System.Runtime.InteropServices.Marshalling;

namespace Alquimia.Engine.DuckDb.Native;

internal static partial class NativeMethods
{
    /// <summary>Results: duckdb.h "Query Execution" and "Result Functions". The result is addressed by pointer.</summary>
    internal static unsafe partial class Query
    {
        [LibraryImport(LibraryName, EntryPoint = "duckdb_query", StringMarshalling = StringMarshalling.Utf8)]
        internal static partial State Run(DuckDbConnectionHandle connection, string query, DuckDbResultStruct* result);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_destroy_result")]
        internal static partial void DestroyResult(DuckDbResultStruct* result);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_column_name")]
        [return: MarshalUsing(typeof(DuckDbOwnedStringMarshaller))]
        internal static partial string? ColumnName(DuckDbResultStruct* result, ulong column);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_column_logical_type")]
        internal static partial DuckDbLogicalTypeHandle ColumnLogicalType(DuckDbResultStruct* result, ulong column);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_column_count")]
        [SuppressGCTransition] // reads a field of the result
        internal static partial ulong ColumnCount(DuckDbResultStruct* result);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_rows_changed")]
        internal static partial ulong RowsChanged(DuckDbResultStruct* result);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_result_error")]
        [return: MarshalUsing(typeof(DuckDbOwnedStringMarshaller))]
        internal static partial string? ResultError(DuckDbResultStruct* result);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_result_error_type")]
        internal static partial DuckDbErrorType ResultErrorType(DuckDbResultStruct* result);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_result_return_type")]
        internal static partial ResultType ResultReturnType(DuckDbResultStruct result);

        // Produces the next chunk, which for a streaming result runs part of the query: never suppress the transition.
        [LibraryImport(LibraryName, EntryPoint = "duckdb_fetch_chunk")]
        internal static partial DuckDbDataChunkHandle FetchChunk(DuckDbResultStruct result);

        /// <summary><c>duckdb_result_type</c>.</summary>
        internal enum ResultType
        {
            Invalid = 0,
            ChangedRows = 1,
            Nothing = 2,
            QueryResult = 3,
        }
    }
}
