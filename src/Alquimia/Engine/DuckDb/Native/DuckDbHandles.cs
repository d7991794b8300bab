using Microsoft.Win32.SafeHandles;

namespace Alquimia.Engine.DuckDb.Native;

// Every pointer we own lives in one of these; ReleaseHandle calls the matching destroy function exactly once,
// even when the owner forgets to dispose. The destroy functions take a pointer to the handle and null it.

/// <summary>Base of the handles we own: zero is invalid, as for every duckdb_* pointer.</summary>
internal abstract class DuckDbHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    protected DuckDbHandle() : base(ownsHandle: true) { }
}

/// <summary><c>duckdb_database</c>, closed with <c>duckdb_close</c>.</summary>
internal sealed class DuckDbDatabaseHandle : DuckDbHandle
{
    protected override bool ReleaseHandle()
    {
        var pointer = handle;
        NativeMethods.Startup.Close(ref pointer);
        return true;
    }
}

/// <summary><c>duckdb_connection</c>, closed with <c>duckdb_disconnect</c>.</summary>
internal sealed class DuckDbConnectionHandle : DuckDbHandle
{
    protected override bool ReleaseHandle()
    {
        var pointer = handle;
        NativeMethods.Startup.Disconnect(ref pointer);
        return true;
    }
}

/// <summary><c>duckdb_config</c>, destroyed with <c>duckdb_destroy_config</c>.</summary>
internal sealed class DuckDbConfigHandle : DuckDbHandle
{
    protected override bool ReleaseHandle()
    {
        var pointer = handle;
        NativeMethods.Startup.DestroyConfig(ref pointer);
        return true;
    }
}

/// <summary><c>duckdb_extracted_statements</c>, destroyed with <c>duckdb_destroy_extracted</c>.</summary>
internal sealed class DuckDbExtractedStatementsHandle : DuckDbHandle
{
    protected override bool ReleaseHandle()
    {
        var pointer = handle;
        NativeMethods.PreparedStatements.DestroyExtracted(ref pointer);
        return true;
    }
}

/// <summary><c>duckdb_prepared_statement</c>, destroyed with <c>duckdb_destroy_prepare</c>.</summary>
internal sealed class DuckDbPreparedStatementHandle : DuckDbHandle
{
    protected override bool ReleaseHandle()
    {
        var pointer = handle;
        NativeMethods.PreparedStatements.DestroyPrepare(ref pointer);
        return true;
    }
}

/// <summary><c>duckdb_pending_result</c>, destroyed with <c>duckdb_destroy_pending</c>.</summary>
internal sealed class DuckDbPendingResultHandle : DuckDbHandle
{
    protected override bool ReleaseHandle()
    {
        var pointer = handle;
        NativeMethods.PreparedStatements.DestroyPending(ref pointer);
        return true;
    }
}

/// <summary><c>duckdb_data_chunk</c>, destroyed with <c>duckdb_destroy_data_chunk</c>. Its vectors are borrowed.</summary>
internal sealed class DuckDbDataChunkHandle : DuckDbHandle
{
    protected override bool ReleaseHandle()
    {
        var pointer = handle;
        NativeMethods.DataChunks.Destroy(ref pointer);
        return true;
    }
}

/// <summary><c>duckdb_logical_type</c>, destroyed with <c>duckdb_destroy_logical_type</c>.</summary>
internal sealed class DuckDbLogicalTypeHandle : DuckDbHandle
{
    protected override bool ReleaseHandle()
    {
        var pointer = handle;
        NativeMethods.LogicalTypes.DestroyLogicalType(ref pointer);
        return true;
    }
}

/// <summary><c>duckdb_appender</c>, destroyed with <c>duckdb_appender_destroy</c>.</summary>
internal sealed class DuckDbAppenderHandle : DuckDbHandle
{
    protected override bool ReleaseHandle()
    {
        var pointer = handle;
        // Destroy also flushes; its failure was already reported by an explicit Close, so it is not raised here.
        NativeMethods.Appender.Destroy(ref pointer);
        return true;
    }
}

/// <summary><c>duckdb_table_description</c>, destroyed with <c>duckdb_table_description_destroy</c>.</summary>
internal sealed class DuckDbTableDescriptionHandle : DuckDbHandle
{
    protected override bool ReleaseHandle()
    {
        var pointer = handle;
        NativeMethods.TableDescription.Destroy(ref pointer);
        return true;
    }
}

/// <summary><c>duckdb_value</c>, destroyed with <c>duckdb_destroy_value</c>.</summary>
internal sealed class DuckDbValueHandle : DuckDbHandle
{
    protected override bool ReleaseHandle()
    {
        var pointer = handle;
        NativeMethods.Values.DestroyValue(ref pointer);
        return true;
    }
}

/// <summary><c>duckdb_error_data</c>, destroyed with <c>duckdb_destroy_error_data</c>.</summary>
internal sealed class DuckDbErrorDataHandle : DuckDbHandle
{
    protected override bool ReleaseHandle()
    {
        var pointer = handle;
        NativeMethods.Errors.Destroy(ref pointer);
        return true;
    }
}
