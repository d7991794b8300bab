using System.Globalization;
using Alquimia.Ingestion.Landing;
using Alquimia.Projects;
using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;
using MySqlConnector;

namespace Alquimia.Ingestion.MySql;

/// <summary>
/// Extracts one MySQL table into landing Parquet (seed 003's Airbyte sync, done by Alquimia): the rows stream from an
/// unbuffered SELECT, one at a time, into a DuckDB staging table through the appender, and a part is written out every
/// <see cref="PartBytes"/> of values, so memory stays flat whatever the table's size. The batch's parts become visible
/// together, and bronze takes them in the step's transaction.
/// </summary>
/// <remarks>
/// An incremental table is read as a PostgreSQL one is (<see cref="Postgres.PostgresExtractor"/>; docs/projects.md,
/// "Incremental cursors"): the rows past the stored cursor, and again those within the lookback behind it and those
/// whose cursor is NULL or a zero date, landed only when they differ from what is landed.
/// </remarks>
internal static class MySqlExtractor
{
    /// <summary>Values staged before they are written out as a landing part, counted as text characters and bytes. Settable for the tests.</summary>
    internal static long PartBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>The rows of a DuckDB row group, which a part's row count is a multiple of (see PostgresExtractor.RowGroupRows). Settable for the tests.</summary>
    internal static int RowGroupRows { get; set; } = 122_880;

    /// <summary>Called with a full refresh's table name between its COUNT(*) and its SELECT: for the tests, which change a table there.</summary>
    internal static Action<string>? Counted { get; set; }

    private static readonly Dictionary<string, string> NoParameters = [];

    /// <summary>
    /// Writes the table's rows past <see cref="ExtractionRequest.From"/> (all of them on a first sync or a full refresh)
    /// into the request's batch, from the snapshot <paramref name="connection"/> holds.
    /// </summary>
    public static Extraction Extract(ExtractionRequest request, MySqlSnapshot snapshot, MySqlConnection connection, CancellationToken cancellationToken)
    {
        var (source, table, warehouse) = (request.Source, request.Table, request.Warehouse);
        var database = connection.Database;
        var where = MySqlConnectionString.Describe(snapshot.ConnectionString);
        try
        {
            var columns = MySqlSource.Columns(connection, database, table.Name);
            if (columns.Count == 0)
            {
                throw new AlquimiaException(
                    $"Source '{source.Name}': table {database}.{table.Name} does not exist in {where} "
                    + $"(declared at {Path.GetFileName(source.FilePath)}:{table.Line}). Was it renamed or dropped? Fix the name, or remove the table from the source."
                    + (table.Discovered ? " It was synced before (tables: all found its landing folder): if it was dropped on purpose, add it to the source's exclude; its bronze and landing stay." : ""));
            }

            BronzeSchema.CheckColumnNames(source, table, columns.Select(column => column.Name));
            var cursor = CursorColumn(source, table, database, columns);
            var target = new MySqlReadTarget(connection, warehouse.ConnectionString, request.Batch, columns, source, table, database);
            if (cursor is null)
            {
                // Seed 003's validation: the rows landed are the rows the source holds in this snapshot, counted by the
                // server before they are read (InnoDB's snapshot makes both see the same rows).
                var held = RowCount(connection, database, table.Name);
                Counted?.Invoke(table.Name);
                MySqlTableReader.Read(target, where: null, NoParameters, reRead: null, PartBytes, cancellationToken);
                if (request.Batch.Rows != held)
                {
                    throw new AlquimiaException(
                        $"Source '{source.Name}': table {database}.{table.Name} holds {held:N0} rows in this sync's snapshot, but {request.Batch.Rows:N0} were read and landed. "
                        + "Nothing of this sync is kept. A table without snapshots (MyISAM) changes while it is read: convert it to InnoDB, or sync it when nothing writes to it.");
                }
            }
            else
            {
                ReadIncrement(target, request, cursor, PrimaryKey(connection, database, table, columns), cancellationToken);
            }

            var next = cursor is null ? null : SyncStart.After(warehouse, request.Batch, request.From, cursor.Name, cursor.DuckDbType, cancellationToken);
            List<string> warnings =
            [
                .. columns.Where(column => column.Warning is not null).Select(column => $"{table.Name}: {column.Warning}"),
                .. target.ZeroDates.Select(zero =>
                    $"{table.Name}: {zero.Value:N0} zero dates of column '{zero.Key}' landed as NULL (zero_dates: null)"),
            ];
            return new Extraction(request.Batch.Rows, next, warnings);
        }
        catch (MySqlException error) when (!cancellationToken.IsCancellationRequested && (error.IsTransient || connection.State != System.Data.ConnectionState.Open))
        {
            // The server went away, or a lock or deadlock: an I/O error, so that the step's retries apply.
            throw new IOException(
                $"Source '{source.Name}': reading table {database}.{table.Name} from {where} failed after {request.Batch.Rows:N0} rows "
                + $"({error.Number}: {error.Message.ReplaceLineEndings(" ")}). Nothing of this sync is kept; the next attempt reads the table again.",
                error);
        }
        catch (MySqlException error)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw MySqlSource.Failed(source, snapshot.ConnectionString, error);
        }
    }

    private static long RowCount(MySqlConnection connection, string database, string table)
    {
        using var command = new MySqlCommand($"SELECT COUNT(*) FROM {MySqlText.Identifier(database)}.{MySqlText.Identifier(table)}", connection) { CommandTimeout = 0 };
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static MySqlColumn? CursorColumn(SourceDefinition source, SourceTable table, string database, List<MySqlColumn> columns)
    {
        if (table.Mode != ExtractionMode.Incremental)
        {
            return null;
        }

        var cursor = columns.FirstOrDefault(column => column.Name == table.Cursor)
            ?? throw new AlquimiaException(
                $"Source '{source.Name}': the cursor column '{table.Cursor}' of table {table.Name} ({Path.GetFileName(source.FilePath)}:{table.Line}) is not in "
                + $"{database}.{table.Name}, whose columns are: {string.Join(", ", columns.Select(column => column.Name))}.");
        if (MySqlCursor.CastType(cursor.DuckDbType) is null)
        {
            // The last value comes from DuckDB's max() over what landed, the next read from MySQL's >=: both must order
            // the values alike, and the value must reach MySQL exactly. Text does not order alike (collations), and a
            // FLOAT's DuckDB text is not the value MySQL compares it with (a float widened to a double).
            throw new AlquimiaException(
                $"Source '{source.Name}': the cursor column '{cursor.Name}' of table {table.Name} ({Path.GetFileName(source.FilePath)}:{table.Line}) is "
                + $"{cursor.MySqlType}, which lands as {cursor.DuckDbType}: DuckDB and MySQL do not compare it alike, so rows would be missed or read again. "
                + "Use a DATETIME, TIMESTAMP, DATE, integer or DECIMAL column as the cursor, e.g. updated_at.");
        }

        return cursor;
    }

    /// <summary>
    /// An incremental table's rows since its last sync: the first sync reads them all; later ones read the rows again
    /// that a late commit may have changed or that no cursor reaches (compared with what is landed, in one part), then
    /// the rows past the stored cursor, in parts.
    /// </summary>
    private static void ReadIncrement(MySqlReadTarget target, ExtractionRequest request, MySqlColumn cursor, IReadOnlyList<string> key, CancellationToken cancellationToken)
    {
        var from = request.From?.Value;
        var windowStart = from is null ? null : CursorValues.WindowStart(request, cursor.Name, cursor.DuckDbType, cursor.MySqlType, from, cancellationToken);
        var reRead = ReReadRows.Of(request.Warehouse, request.Project, target.Source, target.Table, cursor.Name, cursor.DuckDbType, windowStart, key, cancellationToken);
        if (reRead is null)
        {
            MySqlTableReader.Read(target, where: null, NoParameters, reRead: null, PartBytes, cancellationToken);
            return;
        }

        var quoted = MySqlText.Identifier(cursor.Name);
        // A zero date sorts below every date in MySQL, and lands as NULL (or fails): no cursor reaches it either.
        var unreachable = cursor.IsTemporal ? $"{quoted} IS NULL OR YEAR({quoted}) = 0 OR MONTH({quoted}) = 0 OR DAYOFMONTH({quoted}) = 0" : $"{quoted} IS NULL";
        var cast = MySqlCursor.CastType(cursor.DuckDbType);
        var parameters = from is null ? new Dictionary<string, string>() : new() { ["@window_start"] = MySqlCursor.Text(windowStart!), ["@from"] = MySqlCursor.Text(from) };
        MySqlTableReader.Read(
            target,
            from is null ? null : $"({quoted} >= CAST(@window_start AS {cast}) AND {quoted} <= CAST(@from AS {cast})) OR {unreachable}",
            parameters,
            reRead,
            long.MaxValue,
            cancellationToken);
        if (from is not null)
        {
            MySqlTableReader.Read(target, $"{quoted} > CAST(@from AS {cast})", parameters, reRead: null, PartBytes, cancellationToken);
        }
    }

    /// <summary>The table's declared <c>primary_key</c>, else MySQL's; empty when neither (rows are then told apart by all their values).</summary>
    private static IReadOnlyList<string> PrimaryKey(MySqlConnection connection, string database, SourceTable table, List<MySqlColumn> columns)
    {
        var names = columns.Select(column => column.Name).ToHashSet(StringComparer.Ordinal);
        return table.PrimaryKey.Count > 0 && table.PrimaryKey.All(names.Contains) ? table.PrimaryKey : MySqlSource.PrimaryKey(connection, database, table.Name);
    }
}

/// <summary>How a cursor value travels from DuckDB's text to a MySQL comparison.</summary>
internal static class MySqlCursor
{
    /// <summary>The type of MySQL's CAST that reads a cursor value of the DuckDB type exactly; null for a type that cannot be a cursor.</summary>
    public static string? CastType(string duckDbType) => duckDbType switch
    {
        "TINYINT" or "SMALLINT" or "INTEGER" or "BIGINT" => "SIGNED",
        "UTINYINT" or "USMALLINT" or "UINTEGER" or "UBIGINT" => "UNSIGNED",
        "DOUBLE" => "DOUBLE",
        "DATE" => "DATE",
        "TIMESTAMP" or "TIMESTAMPTZ" => "DATETIME(6)",
        _ when duckDbType.StartsWith("DECIMAL(", StringComparison.Ordinal) => "DECIMAL(65,30)",
        _ => null,
    };

    /// <summary>
    /// The value's text as MySQL reads it: an instant's DuckDB text ends in <c>+00</c> (UTC), which MariaDB does not
    /// read; the sessions are in UTC, so the time without it is the same instant.
    /// </summary>
    public static string Text(string value) => value.EndsWith("+00", StringComparison.Ordinal) ? value[..^3] : value;
}
