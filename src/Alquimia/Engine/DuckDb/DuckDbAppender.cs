using System.Diagnostics.CodeAnalysis;
using Alquimia.Engine.DuckDb.Native;
using Alquimia.Engine.DuckDb.Writing;
using static Alquimia.Engine.DuckDb.Native.NativeMethods;

namespace Alquimia.Engine.DuckDb;

/// <summary>
/// Bulk-loads rows into an existing table. Values are written straight into the vectors of a data chunk, which is
/// handed to DuckDB every <c>duckdb_vector_size()</c> rows (2048): one native call per chunk, not per value.
/// </summary>
/// <remarks>
/// <para>
/// DuckDB writes the rows to the table in batches as the appender goes (every 204,800 rows), and the rest at
/// <see cref="Flush"/> and <see cref="Close"/>. Outside a transaction each batch is committed on its own, so a load
/// that fails part-way leaves its earlier batches in the table. For an all-or-nothing load, append inside a
/// transaction and roll it back on failure. Once a call to DuckDB has failed, the appender takes no more rows.
/// </para>
/// <para>
/// Writing a batch runs an INSERT on the connection, which ends a streaming reader open on it. To append rows
/// while reading a query on the same connection, read it with <c>UseStreamingMode = false</c>.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// using var appender = connection.CreateAppender("bronze", "chamados");
/// foreach (var chamado in chamados)
///     appender.CreateRow().Append(chamado.Id).Append(chamado.AbertoEm).Append(chamado.Status).EndRow();
/// </code>
/// </example>
public sealed class DuckDbAppender : IDisposable
{
    private readonly DuckDbConnection _connection;
    private readonly DuckDbAppenderHandle _handle;
    private readonly DuckDbDataChunkHandle _chunk;
    private readonly ColumnWriter[] _writers;
    private readonly ulong _chunkCapacity;
    private ulong _rowInChunk;
    private int _column;
    private bool _closed;

    /// <summary>DuckDB's message when a native call failed; the appender then takes no more rows.</summary>
    private string? _failure;

    internal DuckDbAppender(DuckDbConnection connection, string? schema, string table)
    {
        Table = schema is null ? table : $"{schema}.{table}";
        if (Appender.Create(connection.Handle, schema, table, out _handle) != State.Success)
        {
            var message = ErrorMessage(_handle) ?? "the table may not exist";
            _handle.Dispose();
            throw new DuckDbException($"Cannot append to '{Table}': {message}", DuckDbErrorType.Catalog);
        }

        try
        {
            var count = (int)Appender.ColumnCount(_handle);
            var names = ColumnNames(connection, schema, table, count);
            var types = new DuckDbLogicalTypeHandle[count];
            _writers = new ColumnWriter[count];
            for (var i = 0; i < count; i++)
            {
                types[i] = Appender.ColumnType(_handle, (ulong)i);
                _writers[i] = ColumnWriterFactory.Create(names[i], types[i]);
            }

            _chunk = CreateChunk(types);
            foreach (var type in types)
            {
                type.Dispose();
            }

            _chunkCapacity = Vectors.VectorSize();
            ResetWriters();
        }
        catch
        {
            _handle.Dispose();
            throw;
        }

        _connection = connection;
        connection.AddDependent(this);
    }

    /// <summary>The table rows go to, as given.</summary>
    public string Table { get; }

    /// <summary>Rows ended so far, including those still in the current chunk.</summary>
    public long RowsAppended { get; private set; }

    /// <summary>Starts a row: append one value per column, in the table's column order, then <see cref="DuckDbAppenderRow.EndRow"/>.</summary>
    public DuckDbAppenderRow CreateRow()
    {
        if (_closed || _failure is not null || _column != 0)
        {
            ThrowCannotStartRow();
        }

        return new DuckDbAppenderRow(this);
    }

    /// <summary>Writes every ended row to the table now; outside a transaction, they are committed.</summary>
    public void Flush()
    {
        ThrowIfClosed();
        ThrowIfFailed();
        if (_column != 0)
        {
            throw new InvalidOperationException($"The current row of '{Table}' was not ended: call EndRow() before Flush().");
        }

        AppendChunk();
        Check(Appender.Flush(_handle), "flushing");
    }

    /// <summary>
    /// Writes the ended rows not written yet and releases the appender. A row that was not ended is discarded.
    /// Rows written in earlier batches stay written when this fails (outside a transaction, they are committed).
    /// An appender that failed earlier is only released: nothing more is written, and nothing thrown again.
    /// </summary>
    public void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        _connection.RemoveDependent(this);
        try
        {
            if (_failure is null)
            {
                AppendChunk();
                Check(Appender.Close(_handle), "closing");
            }
        }
        finally
        {
            if (_failure is not null)
            {
                // DuckDB keeps the rows it failed to write, and duckdb_appender_destroy would try them once more.
                Appender.Clear(_handle);
            }

            _chunk.Dispose();
            _handle.Dispose();
        }
    }

    /// <summary>Closes the appender: see <see cref="Close"/>.</summary>
    public void Dispose() => Close();

    /// <summary>The writer of the next value's column, before it is written.</summary>
    internal ColumnWriter NextColumn => (uint)_column < (uint)_writers.Length && !_closed ? _writers[_column] : ThrowNoNextColumn();

    /// <summary>The row being filled, within the current chunk.</summary>
    internal ulong Row => _rowInChunk;

    /// <summary>Moves on to the next column once a value was written.</summary>
    internal void Advance() => _column++;

    internal void EndRow()
    {
        if (_column != _writers.Length)
        {
            ThrowTooFewValues();
        }

        _column = 0;
        RowsAppended++;
        if (++_rowInChunk == _chunkCapacity)
        {
            AppendChunk();
        }
    }

    private void AppendChunk()
    {
        if (_rowInChunk == 0)
        {
            return;
        }

        try
        {
            ThrowIfFailed();
            DataChunks.SetSize(_chunk, _rowInChunk);
            Check(Appender.AppendDataChunk(_handle, _chunk), "writing rows");
        }
        finally
        {
            // Also when DuckDB refused the rows: a chunk left full would take the next row past the end of its vectors.
            DataChunks.Reset(_chunk);
            _rowInChunk = 0;
            ResetWriters();
        }
    }

    private void ResetWriters()
    {
        for (var i = 0; i < _writers.Length; i++)
        {
            _writers[i].Reset(DataChunks.GetVector(_chunk, (ulong)i));
        }
    }

    /// <summary>Throws DuckDB's error when a call failed, and marks the appender failed: DuckDB may hold part of the rows.</summary>
    private void Check(State state, string action)
    {
        if (state != State.Success)
        {
            using var error = Appender.ErrorData(_handle);
            var reported = !error.IsInvalid && Errors.HasError(error);
            _failure = (reported ? Errors.Message(error) : null) ?? "unknown error";
            throw new DuckDbException($"Appending to '{Table}' failed while {action}: {_failure}",
                reported ? Errors.ErrorType(error) : DuckDbErrorType.Invalid);
        }
    }

    // The throws live in methods of their own so that the per-value members above stay small enough to inline.
    [DoesNotReturn]
    private void ThrowCannotStartRow()
    {
        ThrowIfClosed();
        ThrowIfFailed();
        throw new InvalidOperationException($"The previous row of '{Table}' was not ended: call EndRow() after its last value.");
    }

    [DoesNotReturn]
    private ColumnWriter ThrowNoNextColumn()
    {
        // A row kept past Close would write into the released chunk.
        ThrowIfClosed();
        throw new InvalidOperationException(
            $"The row has more values than '{Table}' has columns ({_writers.Length}). Call EndRow() after the last column.");
    }

    [DoesNotReturn]
    private void ThrowTooFewValues() => throw new InvalidOperationException(
        $"The row has {_column} value(s), but '{Table}' has {_writers.Length} columns: append one value per column, in the table's order.");

    private void ThrowIfClosed() => ObjectDisposedException.ThrowIf(_closed, this);

    private void ThrowIfFailed()
    {
        if (_failure is not null)
        {
            throw new InvalidOperationException($"The appender for '{Table}' failed earlier ({_failure}): dispose it and start a new one.");
        }
    }

    private static string? ErrorMessage(DuckDbAppenderHandle handle)
    {
        if (handle.IsInvalid)
        {
            return null;
        }

        using var error = Appender.ErrorData(handle);
        return !error.IsInvalid && Errors.HasError(error) ? Errors.Message(error) : null;
    }

    private static unsafe DuckDbDataChunkHandle CreateChunk(DuckDbLogicalTypeHandle[] types)
    {
        var pointers = stackalloc nint[types.Length];
        for (var i = 0; i < types.Length; i++)
        {
            pointers[i] = types[i].DangerousGetHandle();
        }

        return DataChunks.Create(pointers, (ulong)types.Length);
    }

    /// <summary>
    /// Column names, for error messages only: the C appender knows the types but not the names. They come from the
    /// catalog through a table description, found as the appender found the table; a query would end a streaming
    /// result open on the connection.
    /// </summary>
    private string[] ColumnNames(DuckDbConnection connection, string? schema, string table, int count)
    {
        var state = TableDescription.Create(connection.Handle, schema, table, out var description);
        using (description)
        {
            if (state != State.Success)
            {
                throw new DuckDbException($"Cannot append to '{Table}': {TableDescription.Error(description) ?? "the table may not exist"}",
                    DuckDbErrorType.Catalog);
            }

            // Generated columns take no value, so the appender leaves them out; the description lists them without
            // saying which they are, so the names cannot be matched up and the columns are numbered instead.
            var matches = TableDescription.GetColumnCount(description) == (ulong)count;
            var names = new string[count];
            for (var i = 0; i < count; i++)
            {
                names[i] = (matches ? TableDescription.GetColumnName(description, (ulong)i) : null) ?? $"#{i + 1}";
            }

            return names;
        }
    }
}
