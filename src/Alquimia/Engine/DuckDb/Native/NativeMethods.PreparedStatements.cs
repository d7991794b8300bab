using System.Runtime.InteropServices;
using System.Runtime.InteropServices.Marshalling;

namespace Alquimia.Engine.DuckDb.Native;

internal static partial class NativeMethods
{
    /// <summary>duckdb.h "Prepared Statements", "Extract Statements" and "Pending Result Interface".</summary>
    internal static unsafe partial class PreparedStatements
    {
        [LibraryImport(LibraryName, EntryPoint = "duckdb_extract_statements", StringMarshalling = StringMarshalling.Utf8)]
        internal static partial ulong ExtractStatements(DuckDbConnectionHandle connection, string query,
            out DuckDbExtractedStatementsHandle extracted);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_extract_statements_error")]
        [return: MarshalUsing(typeof(DuckDbOwnedStringMarshaller))]
        internal static partial string? ExtractStatementsError(DuckDbExtractedStatementsHandle extracted);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_destroy_extracted")]
        internal static partial void DestroyExtracted(ref nint extracted);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_prepare_extracted_statement")]
        internal static partial State PrepareExtractedStatement(DuckDbConnectionHandle connection,
            DuckDbExtractedStatementsHandle extracted, ulong index, out DuckDbPreparedStatementHandle statement);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_prepare_error")]
        [return: MarshalUsing(typeof(DuckDbOwnedStringMarshaller))]
        internal static partial string? PrepareError(DuckDbPreparedStatementHandle statement);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_destroy_prepare")]
        internal static partial void DestroyPrepare(ref nint statement);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_nparams")]
        internal static partial ulong ParameterCount(DuckDbPreparedStatementHandle statement);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_parameter_name")]
        [return: MarshalUsing(typeof(CallerOwnedStringMarshaller))]
        internal static partial string? ParameterName(DuckDbPreparedStatementHandle statement, ulong index);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_clear_bindings")]
        internal static partial State ClearBindings(DuckDbPreparedStatementHandle statement);

        // A pending result starts the query (and clears any earlier interrupt) without running it: the caller can
        // check for cancellation after this point, and an interrupt from then on is never lost.
        [LibraryImport(LibraryName, EntryPoint = "duckdb_pending_prepared")]
        internal static partial State PendingPrepared(DuckDbPreparedStatementHandle statement, out DuckDbPendingResultHandle pending);

        // Deprecated in the C API but still the only way to get a streaming result; used only when a command asks for one.
        [LibraryImport(LibraryName, EntryPoint = "duckdb_pending_prepared_streaming")]
        internal static partial State PendingPreparedStreaming(DuckDbPreparedStatementHandle statement, out DuckDbPendingResultHandle pending);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_pending_error")]
        [return: MarshalUsing(typeof(DuckDbOwnedStringMarshaller))]
        internal static partial string? PendingError(DuckDbPendingResultHandle pending);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_execute_pending")]
        internal static partial State ExecutePending(DuckDbPendingResultHandle pending, DuckDbResultStruct* result);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_destroy_pending")]
        internal static partial void DestroyPending(ref nint pending);
    }
}
