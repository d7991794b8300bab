using System.Runtime.CompilerServices;
using DuckDB.NET.Data;

namespace Alquimia.Warehouse.DuckDb;

/// <summary>
/// Bulk-loads rows into an existing table through DuckDB.NET's appender, which writes a value's bytes into whatever
/// column comes next: a <c>long</c> into an INTEGER column stores garbage, invalid UTF-8 is stored as NULL, a decimal is
/// truncated. This one learns the table's column types when it opens and accepts for each column only the .NET type of
/// that width; it rejects invalid UTF-8, rounds decimals to the column's scale (half away from zero, as DuckDB's cast
/// does) and refuses ones wider than the column; DECIMAL columns over 28 digits and INTERVAL columns are staged as text
/// and cast by DuckDB.
/// </summary>
/// <remarks>
/// DuckDB writes the rows in batches as the appender goes and the rest when it is disposed. Outside a transaction each
/// batch commits on its own: for an all-or-nothing load, append inside a transaction. Writing a batch ends a streaming
/// reader open on the same connection.
/// </remarks>
/// <example>
/// <code>
/// using var appender = connection.CreateCheckedAppender("bronze", "chamados");
/// foreach (var chamado in chamados)
///     appender.CreateRow().Append(chamado.Id).Append(chamado.AbertoEm).Append(chamado.Status).EndRow();
/// </code>
/// </example>
public sealed partial class CheckedAppender : IDisposable
{
    private static long _stagingTables;

    private readonly CheckedConnection _connection;
    private readonly DuckDBAppender _appender;
    private readonly AppendedType[] _columns;
    private readonly string _targetSql;
    private readonly string? _stagingSql;
    private readonly AppendedKind[] _kinds;
    private DuckDBAppenderRow? _row;
    private int _column;
    private bool _closed;

    /// <summary>Set once DuckDB refused rows: the appender then takes no more, and closing it writes nothing and throws nothing again.</summary>
    private bool _failed;

    private CheckedAppender(CheckedConnection connection, DuckDBAppender appender, string table, string targetSql, AppendedType[] columns, string? stagingSql)
    {
        _connection = connection;
        _appender = appender;
        Table = table;
        _targetSql = targetSql;
        _columns = columns;
        _kinds = [.. columns.Select(column => column.Kind)];
        _stagingSql = stagingSql;
    }

    /// <summary>The table rows go to, as given.</summary>
    public string Table { get; }

    /// <summary>Rows ended so far.</summary>
    public long RowsAppended { get; private set; }

    internal static CheckedAppender Open(CheckedConnection connection, string? schema, string table)
    {
        var name = schema is null ? table : $"{schema}.{table}";
        var targetSql = schema is null ? SqlText.Identifier(table) : $"{SqlText.Identifier(schema)}.{SqlText.Identifier(table)}";
        var columns = connection.Query(
            $"SELECT column_name, column_type FROM (DESCRIBE {targetSql})",
            reader => AppendedType.Of(reader.GetString(0), reader.GetString(1)));
        if (columns.Count == 0)
        {
            throw new InvalidOperationException($"Cannot append to '{name}': it has no columns.");
        }

        string? stagingSql = null;
        if (columns.Any(column => column.StagedAsText))
        {
            var staging = $"__alquimia_append_{Interlocked.Increment(ref _stagingTables)}";
            stagingSql = SqlText.Identifier(staging);
            var definitions = columns.Select(column => $"{SqlText.Identifier(column.Column)} {(column.StagedAsText ? "VARCHAR" : column.DuckDbType)}");
            connection.Execute($"CREATE TEMP TABLE {stagingSql} ({string.Join(", ", definitions)})");
            return new CheckedAppender(connection, connection.CreateRawAppender(null, staging), name, targetSql, [.. columns], stagingSql);
        }

        return new CheckedAppender(connection, connection.CreateRawAppender(schema, table), name, targetSql, [.. columns], null);
    }

    /// <summary>Starts a row: append one value per column, in the table's column order, then <see cref="CheckedAppenderRow.EndRow"/>.</summary>
    public CheckedAppenderRow CreateRow()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        if (_failed)
        {
            throw new InvalidOperationException($"DuckDB refused rows appended to '{Table}': the appender takes no more.");
        }

        if (_row is not null)
        {
            throw new InvalidOperationException($"The current row of '{Table}' was not ended: call EndRow() before starting another.");
        }

        try
        {
            // Every 2,048 rows this hands DuckDB a chunk, which is where a broken constraint surfaces.
            _row = (DuckDBAppenderRow)_appender.CreateRow();
        }
        catch (DuckDBException error)
        {
            _failed = true;
            throw DuckDbErrors.Convert(error, null);
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
        if (_failed)
        {
            Release();
            return;
        }

        try
        {
            _appender.Close();
        }
        catch (DuckDBException error)
        {
            DropStaging();
            throw DuckDbErrors.Convert(error, null);
        }

        if (_stagingSql is not null)
        {
            var casts = _columns.Select(column =>
                column.StagedAsText ? $"CAST({SqlText.Identifier(column.Column)} AS {column.DuckDbType})" : SqlText.Identifier(column.Column));
            try
            {
                _connection.Execute($"INSERT INTO {_targetSql} SELECT {string.Join(", ", casts)} FROM {_stagingSql}");
            }
            finally
            {
                DropStaging();
            }
        }
    }

    /// <summary>The row, once the next column is checked to take <paramref name="kind"/>; the check is one array read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal DuckDBAppenderRow Next(AppendedKind kind)
    {
        var column = _column;
        if ((uint)column < (uint)_kinds.Length && _kinds[column] == kind && _row is { } row)
        {
            _column = column + 1;
            return row;
        }

        return Next(kind, out _);
    }

    /// <summary>
    /// The row and the next column, which must take <paramref name="kind"/>; <see cref="AppendedKind.Unsupported"/> takes
    /// any column (for NULL, and for values that depend on the column's type).
    /// </summary>
    internal DuckDBAppenderRow Next(AppendedKind kind, out AppendedType column)
    {
        var row = _row ?? throw new InvalidOperationException($"No row of '{Table}' is open: call CreateRow() first.");
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

        _column++;
        return row;
    }

    internal void EndRow()
    {
        if (_column != _columns.Length)
        {
            throw new InvalidOperationException($"'{Table}' has {_columns.Length} columns but the row has {_column} values.");
        }

        _row!.EndRow();
        _row = null;
        RowsAppended++;
    }

    /// <summary>Releases an appender DuckDB already refused, discarding the rows it still holds, without raising the refusal again.</summary>
    private void Release()
    {
        try
        {
            _appender.Clear();
            _appender.Close();
        }
        catch (DuckDBException)
        {
            // The error was raised where it happened; the transaction it belongs to is rolled back by its owner.
        }

        DropStaging();
    }

    private void DropStaging()
    {
        if (_stagingSql is null || _connection.State != System.Data.ConnectionState.Open)
        {
            return;
        }

        try
        {
            _connection.Execute($"DROP TABLE IF EXISTS {_stagingSql}");
        }
        catch (DuckDbEngineException error) when (error.ErrorType == DuckDB.NET.Native.DuckDBErrorType.Transaction)
        {
            // The transaction failed: its rollback takes the staging table away with the rest.
        }
    }
}
