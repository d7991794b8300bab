using System.Runtime.CompilerServices;
using DuckDB.NET.Native;
using NativeAppender = DuckDB.NET.Native.DuckDBAppender;

namespace Alquimia.Warehouse.DuckDb;

/// <summary>
/// Bulk-loads rows into an existing table. It learns the table's column types when it opens and accepts for each column
/// only the .NET type of that width (DuckDB.NET's appender writes a <c>long</c> into an INTEGER column as garbage); it
/// rejects invalid UTF-8 (DuckDB.NET stores NULL), rounds decimals to the column's scale (half away from zero, as DuckDB's
/// cast does; DuckDB.NET truncates) and refuses ones wider than the column. Values go straight into the vectors of a
/// data chunk through DuckDB.NET's bindings of the C API, handed to DuckDB every 2,048 rows: DuckDB.NET's own appender
/// makes an object per row and converts every value, 1.4-1.8 times this one's time (bench/README.md, <c>binding</c>),
/// and cannot append DECIMALs over 28 digits nor intervals with months, which this one writes as they are.
/// </summary>
/// <remarks>
/// DuckDB writes the rows to the table as the appender goes and the rest when it is disposed. Outside a transaction
/// they commit on their own: for an all-or-nothing load, append inside a transaction. Once DuckDB refused rows (a broken
/// constraint), the appender takes no more, and disposing it writes nothing and raises nothing again. Writing rows ends
/// a streaming reader open on the same connection.
/// </remarks>
/// <example>
/// <code>
/// using var appender = connection.CreateCheckedAppender("bronze", "chamados");
/// foreach (var chamado in chamados)
///     appender.CreateRow().Append(chamado.Id).Append(chamado.AbertoEm).Append(chamado.Status).EndRow();
/// </code>
/// </example>
public sealed unsafe class CheckedAppender : IDisposable
{
    private static readonly int ChunkCapacity = checked((int)NativeMethods.Helpers.DuckDBVectorSize());

    /// <summary>The size of a <c>duckdb_string_t</c>, and the most bytes it holds inline.</summary>
    private const int StringSlotBytes = 16;
    private const int InlinedBytes = 12;

    private readonly CheckedConnection _connection;
    private readonly NativeAppender _native;
    private readonly DuckDBLogicalType[] _types;
    private readonly DuckDBDataChunk _chunk;
    private readonly AppendedType[] _columns;
    private readonly AppendedKind[] _kinds;
    private readonly IntPtr[] _vectors;
    private readonly IntPtr[] _data;
    private readonly IntPtr[] _validity;
    private int _row;
    private int _column = -1;
    private bool _closed;
    private bool _failed;

    private CheckedAppender(CheckedConnection connection, NativeAppender native, DuckDBLogicalType[] types, string table, AppendedType[] columns)
    {
        _connection = connection;
        _native = native;
        _types = types;
        Table = table;
        _columns = columns;
        _kinds = [.. columns.Select(column => column.Kind)];
        _chunk = NativeMethods.DataChunks.DuckDBCreateDataChunk([.. types.Select(type => type.DangerousGetHandle())], (ulong)types.Length);
        _vectors = new IntPtr[columns.Length];
        _data = new IntPtr[columns.Length];
        _validity = new IntPtr[columns.Length];
        BindVectors();
    }

    /// <summary>The table rows go to, as given.</summary>
    public string Table { get; }

    /// <summary>Rows ended so far.</summary>
    public long RowsAppended { get; private set; }

    internal static CheckedAppender Open(CheckedConnection connection, string? schema, string table)
    {
        var name = schema is null ? table : $"{schema}.{table}";
        var quoted = schema is null ? SqlText.Identifier(table) : $"{SqlText.Identifier(schema)}.{SqlText.Identifier(table)}";
        var columns = connection.Query(
            $"SELECT column_name, column_type FROM (DESCRIBE {quoted})",
            reader => AppendedType.Of(reader.GetString(0), reader.GetString(1)));
        if (NativeMethods.Appender.DuckDBAppenderCreateExt(connection.NativeConnection, null, schema, table, out var native) != DuckDBState.Success)
        {
            var (message, kind) = ErrorOf(native);
            native.Dispose();
            throw new DuckDbEngineException($"Cannot append to '{name}': {message}", kind);
        }

        var types = Enumerable.Range(0, columns.Count).Select(index => NativeMethods.Appender.DuckDBAppenderColumnType(native, (ulong)index)).ToArray();
        return new CheckedAppender(connection, native, types, name, [.. columns]);
    }

    /// <summary>Starts a row: append one value per column, in the table's column order, then <see cref="CheckedAppenderRow.EndRow"/>.</summary>
    public CheckedAppenderRow CreateRow()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        if (_failed)
        {
            throw new InvalidOperationException($"DuckDB refused rows appended to '{Table}': the appender takes no more.");
        }

        if (_column >= 0)
        {
            throw new InvalidOperationException($"The current row of '{Table}' was not ended: call EndRow() before starting another.");
        }

        _column = 0;
        return new CheckedAppenderRow(this);
    }

    /// <summary>Writes the ended rows not written yet and releases the appender.</summary>
    public void Close() => Dispose();

    /// <inheritdoc cref="Close"/>
    public void Dispose()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        _connection.Forget(this);
        try
        {
            if (!_failed)
            {
                AppendChunk();
                Check(NativeMethods.Appender.DuckDBAppenderClose(_native));
            }
        }
        finally
        {
            if (_failed)
            {
                // DuckDB keeps the rows it refused, and destroying the appender would try them once more.
                NativeMethods.Appender.DuckDBAppenderClear(_native);
            }

            _chunk.Dispose();
            foreach (var type in _types)
            {
                type.Dispose();
            }

            _native.Dispose();
        }
    }

    /// <summary>The data of the next column, once it is checked to take <paramref name="kind"/>; the check is one array read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void* Next(AppendedKind kind, out int row)
    {
        var column = _column;
        if ((uint)column < (uint)_kinds.Length && _kinds[column] == kind)
        {
            _column = column + 1;
            row = _row;
            return (void*)_data[column];
        }

        Next(kind, out AppendedType _, out row);
        return (void*)_data[_column - 1];
    }

    /// <summary>
    /// The next column, which must take <paramref name="kind"/>; <see cref="AppendedKind.Unsupported"/> takes any column
    /// (for NULL, and for values whose writing depends on the column's type).
    /// </summary>
    internal int Next(AppendedKind kind, out AppendedType column, out int row)
    {
        if (_column < 0)
        {
            throw new InvalidOperationException($"No row of '{Table}' is open: call CreateRow() first.");
        }

        if (_column >= _columns.Length)
        {
            throw new InvalidOperationException($"'{Table}' has {_columns.Length} columns; a row cannot take more values.");
        }

        column = _columns[_column];
        if (column.Kind != kind && kind != AppendedKind.Unsupported)
        {
            throw new InvalidOperationException(
                $"Column '{column.Column}' of '{Table}' is {column.DuckDbType}: append a {AppendedType.ClrName(column.Kind)}, not a {AppendedType.ClrName(kind)}.");
        }

        row = _row;
        return _column++;
    }

    /// <summary>The data of column <paramref name="index"/> in the current chunk.</summary>
    internal void* Data(int index) => (void*)_data[index];

    /// <summary>
    /// Writes text (already checked to be UTF-8) or bytes into column <paramref name="index"/>. Up to 12 bytes go inline
    /// into the row's 16-byte <c>duckdb_string_t</c>, as DuckDB stores them; longer values are copied by DuckDB into the
    /// vector's heap, without checking the UTF-8 again.
    /// </summary>
    internal void WriteBytes(int index, int row, ReadOnlySpan<byte> value)
    {
        if (value.Length <= InlinedBytes)
        {
            var slot = (byte*)_data[index] + (row * StringSlotBytes);
            // DuckDB compares inlined strings on all 16 bytes: the unused tail must be zero.
            *(uint*)slot = (uint)value.Length;
            *(uint*)(slot + 4) = 0;
            *(ulong*)(slot + 8) = 0;
            value.CopyTo(new Span<byte>(slot + 4, InlinedBytes));
            return;
        }

        fixed (byte* bytes = value)
        {
            NativeMethods.Vectors.DuckDBUnsafeVectorAssignStringElementLength(_vectors[index], (ulong)row, bytes, value.Length);
        }
    }

    /// <summary>Marks the value of column <paramref name="index"/> in the current row NULL.</summary>
    internal void WriteNull(int index, int row)
    {
        if (_validity[index] == IntPtr.Zero)
        {
            NativeMethods.Vectors.DuckDBVectorEnsureValidityWritable(_vectors[index]);
            _validity[index] = (IntPtr)NativeMethods.Vectors.DuckDBVectorGetValidity(_vectors[index]);
        }

        NativeMethods.ValidityMask.DuckDBValiditySetRowValidity((ulong*)_validity[index], (ulong)row, false);
    }

    internal void EndRow()
    {
        if (_column != _columns.Length)
        {
            throw new InvalidOperationException($"'{Table}' has {_columns.Length} columns but the row has {Math.Max(_column, 0)} values.");
        }

        _column = -1;
        RowsAppended++;
        if (++_row == ChunkCapacity)
        {
            AppendChunk();
        }
    }

    /// <summary>Hands the chunk's rows to DuckDB and starts an empty one.</summary>
    private void AppendChunk()
    {
        if (_row == 0)
        {
            return;
        }

        NativeMethods.DataChunks.DuckDBDataChunkSetSize(_chunk, (ulong)_row);
        var state = NativeMethods.Appender.DuckDBAppendDataChunk(_native, _chunk);
        NativeMethods.DataChunks.DuckDBDataChunkReset(_chunk);
        _row = 0;
        BindVectors();
        Check(state);
    }

    /// <summary>The vectors' data of the (reset) chunk; validity is made writable again at the first NULL.</summary>
    private void BindVectors()
    {
        for (var index = 0; index < _vectors.Length; index++)
        {
            _vectors[index] = NativeMethods.DataChunks.DuckDBDataChunkGetVector(_chunk, index);
            _data[index] = (IntPtr)NativeMethods.Vectors.DuckDBVectorGetData(_vectors[index]);
            _validity[index] = IntPtr.Zero;
        }
    }

    /// <summary>Throws DuckDB's refusal as a <see cref="DuckDbEngineException"/>; the appender then takes no more rows.</summary>
    private void Check(DuckDBState state)
    {
        if (state == DuckDBState.Success)
        {
            return;
        }

        _failed = true;
        var (message, kind) = ErrorOf(_native);
        throw new DuckDbEngineException($"Appending to '{Table}' failed: {message}", kind);
    }

    /// <summary>DuckDB's message and kind of the appender's last error.</summary>
    private static (string Message, DuckDBErrorType Kind) ErrorOf(NativeAppender native)
    {
        using var error = NativeMethods.Appender.DuckDBAppenderErrorData(native);
        return (NativeMethods.ErrorData.DuckDBErrorDataMessage(error), NativeMethods.ErrorData.DuckDBErrorDataErrorType(error));
    }
}
