using System.Diagnostics.CodeAnalysis;
using Alquimia.Engine.DuckDb.Native;
using Alquimia.Engine.DuckDb.Writing;
using static Alquimia.Engine.DuckDb.Native.NativeMethods;

namespace Alquimia.Engine.DuckDb;

/// <summary>
/// Bulk-loads rows into an existing table. Values are written straight into the vectors of a data chunk, which is
/// handed to DuckDB every <c>duckdb_vector_size()</c> rows (2048): one native call per chunk, not per value.
/// Rows become visible when the appender is closed or disposed; inside a transaction, when it commits.
/// </summary>
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
            var names = ColumnNames(connection, schema, table);
            var count = (int)Appender.ColumnCount(_handle);
            var types = new DuckDbLogicalTypeHandle[count];
            _writers = new ColumnWriter[count];
            for (var i = 0; i < count; i++)
            {
                types[i] = Appender.ColumnType(_handle, (ulong)i);
                _writers[i] = ColumnWriterFactory.Create(i < names.Count ? names[i] : $"#{i + 1}", types[i]);
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
        if (_closed || _column != 0)
        {
            ThrowCannotStartRow();
        }

        return new DuckDbAppenderRow(this);
    }

    /// <summary>Hands every ended row to DuckDB now, writing them to the table.</summary>
    public void Flush()
    {
        ThrowIfClosed();
        AppendChunk();
        Check(Appender.Flush(_handle), "flushing");
    }

    /// <summary>Writes every ended row and releases the appender. A row that was not ended is discarded.</summary>
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
            AppendChunk();
            Check(Appender.Close(_handle), "closing");
        }
        finally
        {
            _chunk.Dispose();
            _handle.Dispose();
        }
    }

    /// <summary>Closes the appender: the ended rows are written.</summary>
    public void Dispose() => Close();

    /// <summary>The writer of the next value's column, before it is written.</summary>
    internal ColumnWriter NextColumn => (uint)_column < (uint)_writers.Length ? _writers[_column] : ThrowTooManyValues();

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

        DataChunks.SetSize(_chunk, _rowInChunk);
        Check(Appender.AppendDataChunk(_handle, _chunk), "writing rows");
        DataChunks.Reset(_chunk);
        _rowInChunk = 0;
        ResetWriters();
    }

    private void ResetWriters()
    {
        for (var i = 0; i < _writers.Length; i++)
        {
            _writers[i].Reset(DataChunks.GetVector(_chunk, (ulong)i));
        }
    }

    private void Check(State state, string action)
    {
        if (state != State.Success)
        {
            using var error = Appender.ErrorData(_handle);
            var reported = !error.IsInvalid && Errors.HasError(error);
            throw new DuckDbException($"Appending to '{Table}' failed while {action}: {(reported ? Errors.Message(error) : "unknown error")}",
                reported ? Errors.ErrorType(error) : DuckDbErrorType.Invalid);
        }
    }

    // The throws live in methods of their own so that the per-value members above stay small enough to inline.
    [DoesNotReturn]
    private void ThrowCannotStartRow()
    {
        ThrowIfClosed();
        throw new InvalidOperationException($"The previous row of '{Table}' was not ended: call EndRow() after its last value.");
    }

    [DoesNotReturn]
    private ColumnWriter ThrowTooManyValues() => throw new InvalidOperationException(
        $"The row has more values than '{Table}' has columns ({_writers.Length}). Call EndRow() after the last column.");

    [DoesNotReturn]
    private void ThrowTooFewValues() => throw new InvalidOperationException(
        $"The row has {_column} value(s), but '{Table}' has {_writers.Length} columns: append one value per column, in the table's order.");

    private void ThrowIfClosed() => ObjectDisposedException.ThrowIf(_closed, this);

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

    /// <summary>Column names, for error messages only: the C appender knows the types but not the names.</summary>
    private static List<string> ColumnNames(DuckDbConnection connection, string? schema, string table)
    {
        using var command = connection.CreateCommand(
            "SELECT column_name FROM duckdb_columns() WHERE lower(table_name) = lower($table) "
            + "AND lower(schema_name) = lower(coalesce($schema, current_schema())) ORDER BY column_index");
        command.Parameters.Add("table", table);
        command.Parameters.Add("schema", schema);
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
