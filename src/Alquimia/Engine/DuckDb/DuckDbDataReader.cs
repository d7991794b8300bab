using System.Collections;
using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Alquimia.Engine.DuckDb.Native;
using Alquimia.Engine.DuckDb.Reading;
using static Alquimia.Engine.DuckDb.Native.NativeMethods;

namespace Alquimia.Engine.DuckDb;

/// <summary>
/// Reads a command's results chunk by chunk through DuckDB's data-chunk API: one <see cref="VectorReader"/> per
/// column, pointed at each chunk in turn, reading values straight out of the vectors. Each statement of the command
/// is one result (<see cref="NextResult"/>); statements that return no rows have no columns.
/// </summary>
public sealed partial class DuckDbDataReader : DbDataReader
{
    private readonly DuckDbConnection _connection;
    private readonly DuckDbStatementBatch _batch;
    private readonly CommandExecution _execution;
    private readonly CommandBehavior _behavior;
    private readonly bool _streaming;
    private readonly Action _onClose;

    private int _statement = -1;
    private DuckDbResultHandle? _result;
    private DuckDbDataChunkHandle? _chunk;
    private VectorReader[] _columns = [];
    private string[] _names = [];
    private ulong _chunkSize;
    private long _row = -1;
    private bool _resultExhausted;
    private int _recordsAffected = -1;
    private bool _hasRows;
    private bool _closed;

    internal DuckDbDataReader(DuckDbConnection connection, DuckDbStatementBatch batch, CommandExecution execution,
        CommandBehavior behavior, bool streaming, Action onClose)
    {
        _connection = connection;
        _batch = batch;
        _execution = execution;
        _behavior = behavior;
        _streaming = streaming;
        _onClose = onClose;
        batch.Hold();
        try
        {
            if (!NextResult())
            {
                throw new InvalidOperationException("The command has no statement to execute.");
            }
        }
        catch
        {
            // The first statement (or its first chunk) failed: nothing else will ever release what it holds.
            ReleaseResult();
            batch.Release();
            throw;
        }

        connection.AddDependent(this);
    }

    public override int Depth => 0;

    public override int FieldCount => _columns.Length;

    /// <summary>Whether the current result has at least one row (the first chunk is fetched when the result opens).</summary>
    public override bool HasRows => _hasRows;

    public override bool IsClosed => _closed;

    /// <summary>Rows inserted, updated or deleted by the statements executed so far; -1 when none of them could.</summary>
    public override int RecordsAffected => _recordsAffected;

    public override object this[int ordinal] => GetValue(ordinal);

    public override object this[string name] => GetValue(GetOrdinal(name));

    public override bool Read()
    {
        if (_columns.Length == 0)
        {
            return false;
        }

        if (_row + 1 < (long)_chunkSize)
        {
            _row++;
            return true;
        }

        return FetchChunk();
    }

    public override bool NextResult()
    {
        ReleaseResult();
        if (_closed || ++_statement >= _batch.Count)
        {
            return false;
        }

        var result = _execution.Run(() => _batch.Execute(_statement, _streaming, _execution.ThrowIfCancelled));
        _result = result;
        switch (Query.ResultReturnType(result.Value))
        {
            case Query.ResultType.ChangedRows:
                unsafe
                {
                    _recordsAffected = (int)Math.Min(int.MaxValue, (ulong)Math.Max(_recordsAffected, 0) + Query.RowsChanged(result.Pointer));
                }

                break;
            case Query.ResultType.QueryResult:
                OpenColumns(result);
                _hasRows = FetchChunk();
                _row = -1;
                break;
        }

        return true;
    }

    public override string GetDataTypeName(int ordinal) => Column(ordinal).TypeName;

    public override Type GetFieldType(int ordinal) => Column(ordinal).ClrType;

    public override string GetName(int ordinal)
    {
        _ = Column(ordinal);
        return _names[ordinal];
    }

    public override int GetOrdinal(string name)
    {
        var index = Array.IndexOf(_names, name);
        if (index < 0)
        {
            index = Array.FindIndex(_names, candidate => string.Equals(candidate, name, StringComparison.OrdinalIgnoreCase));
        }

        return index >= 0
            ? index
            : throw new IndexOutOfRangeException($"The result has no column named '{name}'. Its columns are: {string.Join(", ", _names)}.");
    }

    /// <summary>The DuckDB type id of a column.</summary>
    public DuckDbType GetDuckDbType(int ordinal) => Column(ordinal).Type;

    public override IEnumerator GetEnumerator() => new DbEnumerator(this, closeReader: false);

    public override void Close()
    {
        if (_closed)
        {
            return;
        }

        try
        {
            // As in other ADO.NET providers, closing the reader runs the statements of the command it has not reached: a
            // caller reading the first result only still gets the whole command. DuckDB itself makes one statement
            // several (an ALTER TABLE … ADD COLUMN with a TIMESTAMP default is three), so one statement can leave some behind.
            // Not when the connection closes under the reader, or the command was cancelled.
            while (!_connection.IsClosing && !_execution.IsCancellationRequested && NextResult())
            {
            }
        }
        finally
        {
            CloseNow();
        }
    }

    private void CloseNow()
    {
        _closed = true;
        _connection.RemoveDependent(this);
        ReleaseResult();
        _batch.Release();
        _execution.Dispose();
        _onClose();
        if (_behavior.HasFlag(CommandBehavior.CloseConnection))
        {
            _connection.Close();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Close();
        }

        base.Dispose(disposing);
    }

    // A row of -1 (before the first) is past any chunk size as an unsigned number.
    private ulong CurrentRow => (ulong)_row < _chunkSize ? (ulong)_row : ThrowNoCurrentRow();

    private bool IsValid(int ordinal) => Column(ordinal).IsValid(CurrentRow);

    private VectorReader Column(int ordinal) => (uint)ordinal < (uint)_columns.Length ? _columns[ordinal] : ThrowNoColumn(ordinal);

    // The throws live in methods of their own so that CurrentRow and Column stay small enough to inline.
    [DoesNotReturn]
    private ulong ThrowNoCurrentRow() => throw new InvalidOperationException(
        _closed ? "The reader is closed." : "There is no current row: call Read() first, and only while it returns true.");

    [DoesNotReturn]
    private VectorReader ThrowNoColumn(int ordinal) => throw new IndexOutOfRangeException(
        $"Column {ordinal} does not exist: the result has {_columns.Length} column(s).");

    private unsafe void OpenColumns(DuckDbResultHandle result)
    {
        var count = (int)Query.ColumnCount(result.Pointer);
        _columns = new VectorReader[count];
        _names = new string[count];
        for (var i = 0; i < count; i++)
        {
            _names[i] = Query.ColumnName(result.Pointer, (ulong)i) ?? "";
            using var type = Query.ColumnLogicalType(result.Pointer, (ulong)i);
            _columns[i] = VectorReaderFactory.Create(type);
        }
    }

    private bool FetchChunk()
    {
        _chunk?.Dispose();
        _chunk = null;
        _chunkSize = 0;
        _row = -1;
        // A streaming result closes itself once its last chunk is fetched, and fails if asked again.
        while (!_resultExhausted)
        {
            var result = _result!;
            var chunk = _execution.Run(() => NextChunk(result));
            if (chunk is null)
            {
                _resultExhausted = true;
                return false;
            }

            var size = DataChunks.GetSize(chunk);
            if (size == 0)
            {
                chunk.Dispose();
                continue;
            }

            _chunk = chunk;
            _chunkSize = size;
            for (var i = 0; i < _columns.Length; i++)
            {
                _columns[i].Reset(DataChunks.GetVector(chunk, (ulong)i));
            }

            _row = 0;
            return true;
        }

        return false;
    }

    /// <summary>The result's next chunk, or null at its end; a streaming result may fail here, mid-query.</summary>
    private DuckDbDataChunkHandle? NextChunk(DuckDbResultHandle result)
    {
        var chunk = Query.FetchChunk(result.Value);
        if (!chunk.IsInvalid)
        {
            return chunk;
        }

        chunk.Dispose();
        unsafe
        {
            if (_streaming && Query.ResultError(result.Pointer) is { } error)
            {
                // DuckDB closes a connection's streaming result when the connection runs anything else.
                throw error.Contains("closed pending query result", StringComparison.Ordinal)
                    ? new DuckDbException(
                        "This streaming reader was closed because another command ran on its connection before it was read to the end. "
                        + "Read it to the end first, use another connection for the other command, or set UseStreamingMode = false.",
                        DuckDbErrorType.InvalidInput, _batch.Sql)
                    : _batch.ResultError(result, _statement);
            }
        }

        return null;
    }

    private void ReleaseResult()
    {
        _chunk?.Dispose();
        _chunk = null;
        _result?.Dispose();
        _result = null;
        _columns = [];
        _names = [];
        _chunkSize = 0;
        _row = -1;
        _resultExhausted = false;
    }
}
