using System.Globalization;
using Alquimia.Ingestion.Landing;
using Alquimia.Projects;
using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;
using DuckDB.NET.Native;
using Npgsql;

namespace Alquimia.Ingestion.Postgres;

/// <summary>
/// Extracts one PostgreSQL table into landing Parquet (seed 000's Fivetran sync, done by Alquimia): the rows stream
/// through a binary <c>COPY (SELECT …) TO STDOUT</c> into DuckDB staging tables with the appender, and DuckDB writes
/// a part from each every 64 MB, while the next one fills. The parts become visible together once the COPY is
/// complete (<see cref="LandingBatch"/>), and bronze takes them in the step's transaction (<see cref="LandingLoader"/>),
/// so a sync cut short leaves nothing half-recorded.
/// </summary>
/// <remarks>
/// An incremental table is read from the highest cursor value already in bronze or in a landed file not yet loaded,
/// inclusive: a row updated at exactly that instant after the last sync is not lost. The rows read again at that
/// value are dropped when bronze or a pending file already holds them, identical, so none is landed twice.
/// </remarks>
internal static class PostgresExtractor
{
    /// <summary>
    /// COPY data staged in DuckDB before it is written out as a landing part. 64 MB, with one part filling while the
    /// one before is written, keeps a sync of any size under 500 MB of memory (issue 5's bench: 5M chamados, 388-408
    /// MB; 128 MB parts reached 500 MB at 2M), in parts of about 400,000 rows for a table like seed 000's chamados.
    /// Settable for the tests, which make parts of a few rows.
    /// </summary>
    internal static long PartBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// Writes the table's rows past <see cref="ExtractionRequest.From"/> (all of them on a first sync or a full refresh)
    /// into the request's batch, from the run's snapshot; returns the rows, where the next sync starts, and the
    /// warnings for the step (columns landed as text).
    /// </summary>
    public static Extraction Extract(ExtractionRequest request, PostgresSnapshot snapshot, CancellationToken cancellationToken)
    {
        var (source, table, warehouse) = (request.Source, request.Table, request.Warehouse);
        var schema = PostgresOptions.Of(source).Schema;
        using var connection = PostgresSource.Open(source, snapshot.ConnectionString, cancellationToken);
        try
        {
            using var transaction = connection.BeginTransaction(System.Data.IsolationLevel.RepeatableRead);
            using (var imported = new NpgsqlCommand($"SET TRANSACTION SNAPSHOT '{snapshot.Id}'", connection, transaction))
            {
                imported.ExecuteNonQuery();
            }

            var columns = PostgresSource.Columns(connection, transaction, schema, table.Name);
            if (columns.Count == 0 && PostgresSource.Exists(connection, transaction, schema, table.Name))
            {
                throw new AlquimiaException(
                    $"Source '{source.Name}': table {schema}.{table.Name} has no columns in {PostgresConnectionString.Describe(snapshot.ConnectionString)}, so "
                    + $"there is nothing to land (declared at {Path.GetFileName(source.FilePath)}:{table.Line}). Add its columns, or remove the table from the source.");
            }

            if (columns.Count == 0)
            {
                throw new AlquimiaException(
                    $"Source '{source.Name}': table {schema}.{table.Name} does not exist in {PostgresConnectionString.Describe(snapshot.ConnectionString)} "
                    + $"(declared at {Path.GetFileName(source.FilePath)}:{table.Line}). Was it renamed or dropped? Fix the name, or remove the table from the source.");
            }

            Landing.BronzeSchema.CheckColumnNames(source, table, columns.Select(column => column.Name));
            var cursor = CursorColumn(source, table, columns);
            var boundary = cursor is not null && request.From is { } from
                ? CursorBoundary.At(warehouse, request.Project, source, table, cursor, from.Value, cancellationToken)
                : null;
            Copy(connection, warehouse.ConnectionString, request.Batch, columns, source, table, boundary, cancellationToken);
            transaction.Commit();
            var next = cursor is null ? null : SyncStart.After(warehouse, request.Batch, request.From, cursor.Name, cancellationToken);
            return new Extraction(request.Batch.Rows, next, [.. columns.Where(column => column.Warning is not null).Select(column => $"{table.Name}: {column.Warning}")]);
        }
        catch (NpgsqlException error)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw PostgresSource.Failed(source, snapshot.ConnectionString, error);
        }
        catch (Exception error) when (error is IOException && !cancellationToken.IsCancellationRequested)
        {
            // The server went away (restarted, the backend terminated, the network cut) in the middle of the COPY: the
            // stream just ends. An I/O error, so the step's retries apply.
            throw new IOException(
                $"Source '{source.Name}': the connection to {PostgresConnectionString.Describe(snapshot.ConnectionString)} was lost while table "
                + $"{schema}.{table.Name} was being copied, after {request.Batch.Rows:N0} rows. Nothing of this sync is kept; the next attempt copies the "
                + $"table again. ({error.Message})",
                error);
        }
    }

    private static PostgresColumn? CursorColumn(SourceDefinition source, SourceTable table, List<PostgresColumn> columns)
    {
        if (table.Mode != ExtractionMode.Incremental)
        {
            return null;
        }

        var cursor = columns.FirstOrDefault(column => column.Name == table.Cursor)
            ?? throw new AlquimiaException(
                $"Source '{source.Name}': the cursor column '{table.Cursor}' of table {table.Name} ({Path.GetFileName(source.FilePath)}:{table.Line}) is not in "
                + $"{PostgresOptions.Of(source).Schema}.{table.Name}, whose columns are: {string.Join(", ", columns.Select(column => column.Name))}.");
        if (!OrdersAlike(cursor.DuckDbType))
        {
            // The last value comes from DuckDB's max() over what landed, the next read from PostgreSQL's >=: both must
            // order the values alike. Text does not (collations), nor what lands as text (a numeric without precision).
            throw new AlquimiaException(
                $"Source '{source.Name}': the cursor column '{cursor.Name}' of table {table.Name} ({Path.GetFileName(source.FilePath)}:{table.Line}) is "
                + $"{cursor.PostgresType}, which lands as {cursor.DuckDbType}: DuckDB and PostgreSQL do not order it alike, so rows would be read again. "
                + "Use a timestamp, date, integer or numeric(p,s) column as the cursor, e.g. atualizado_em.");
        }

        return cursor;
    }

    private static bool OrdersAlike(string duckDbType) =>
        duckDbType is "SMALLINT" or "INTEGER" or "BIGINT" or "FLOAT" or "DOUBLE" or "DATE" or "TIMESTAMP" or "TIMESTAMPTZ" or "TIME"
        || duckDbType.StartsWith("DECIMAL(", StringComparison.Ordinal);

    /// <summary>
    /// Streams the rows through binary COPY into DuckDB staging tables, each field written from its wire bytes, and
    /// writes a landing part from each every <see cref="PartBytes"/> of COPY data: memory stays flat whatever the table's size.
    /// </summary>
    private static void Copy(
        NpgsqlConnection connection, string warehouse, LandingBatch batch, List<PostgresColumn> columns, SourceDefinition source, SourceTable table,
        CursorBoundary? boundary, CancellationToken cancellationToken)
    {
        var select = $"SELECT {string.Join(", ", columns.Select(column => column.SelectExpression))} FROM {SqlText.Identifier(PostgresOptions.Of(source).Schema)}.{SqlText.Identifier(table.Name)}";
        if (boundary is not null)
        {
            // COPY takes no parameters: the value is a literal, cast to the column's own type.
            select += $" WHERE {SqlText.Identifier(boundary.Cursor.Name)} >= CAST({SqlText.Literal(boundary.Value)} AS {boundary.Cursor.PostgresType})";
        }

        using var stream = connection.BeginRawBinaryCopy($"COPY ({select}) TO STDOUT (FORMAT BINARY)");
        // Cancelling asks the server to stop the COPY; the next read then fails and the caller turns that into a cancellation.
        using var registration = cancellationToken.Register(stream.Cancel);
        var reader = new BinaryCopyReader(stream);
        try
        {
            CopyInParts(warehouse, reader, batch, columns, source, table, boundary, cancellationToken);
        }
        catch (Exception) when (!reader.Finished)
        {
            // Disposing a COPY stream that was not read to its end reads the rest (a bad value in the first row of a
            // 100 GB table would wait for all of it): ask the server to stop first. On a connection that is already
            // broken there is nothing to stop, and the error that broke it is the one to report.
            try
            {
                stream.Cancel();
            }
            catch (Exception cancelling) when (cancelling is NpgsqlException or IOException or InvalidOperationException or ObjectDisposedException)
            {
            }

            throw;
        }
    }

    /// <summary>
    /// Fills two staging tables in turn: while the COPY fills one, the other is written out as the next part, so
    /// that reading the stream (one thread, at the server's pace) and writing Parquet (DuckDB's threads) overlap.
    /// The parts are written one at a time, in order.
    /// </summary>
    private static void CopyInParts(
        string warehouse, BinaryCopyReader reader, LandingBatch batch, List<PostgresColumn> columns, SourceDefinition source, SourceTable table,
        CursorBoundary? boundary, CancellationToken cancellationToken)
    {
        var staged = columns.Select(column => new StagedColumn(column.Name, column.StagingType)).ToList();
        using var first = new StagingTable(warehouse, staged);
        using var second = new StagingTable(warehouse, staged);
        var writing = Task.CompletedTask;
        try
        {
            var filling = first;
            bool more;
            do
            {
                filling.Create(cancellationToken);
                using (var appender = filling.CreateAppender())
                {
                    more = AppendRows(reader, appender, columns, source, table, reader.BytesRead + PartBytes);
                }

                writing.GetAwaiter().GetResult();
                var filled = filling;
                writing = Task.Run(
                    () =>
                    {
                        WritePart(filled, batch, columns, source, table, boundary, cancellationToken);
                        filled.Drop(cancellationToken);
                    },
                    cancellationToken);
                filling = filling == first ? second : first;
            }
            while (more);

            writing.GetAwaiter().GetResult();
        }
        catch (Exception)
        {
            // The staging tables' connections are disposed on the way out, so the part being written must finish first;
            // its own error, if it has one, comes second to this one. A cancellation interrupts its query, so the wait is short.
            Task.WaitAny([writing], CancellationToken.None);
            _ = writing.Exception;
            throw;
        }
    }

    /// <summary>Appends rows until the COPY ends (false) or has read <paramref name="untilBytes"/> (true: more to come).</summary>
    private static bool AppendRows(
        BinaryCopyReader reader, CheckedAppender appender, List<PostgresColumn> columns, SourceDefinition source, SourceTable table, long untilBytes)
    {
        var wires = columns.Select(column => column.Wire).ToArray();
        while (reader.BytesRead < untilBytes)
        {
            if (!reader.NextRow(wires.Length))
            {
                return false;
            }

            var row = appender.CreateRow();
            for (var i = 0; i < wires.Length; i++)
            {
                row = reader.NextField(out var value) ? Append(row, wires[i], value, columns[i], source, table) : row.AppendNull();
            }

            row.EndRow();
        }

        return true;
    }

    private static CheckedAppenderRow Append(
        CheckedAppenderRow row, PostgresWireValue wire, ReadOnlySpan<byte> value, PostgresColumn column, SourceDefinition source, SourceTable table)
    {
        try
        {
            return PostgresWireDecoder.Append(row, wire, value);
        }
        catch (Exception error) when (error is ArgumentException or OverflowException)
        {
            // Out of DuckDB's range (a timestamp past 294247), a numeric NaN, an array of two dimensions, or text that is not UTF-8.
            throw CannotLand(source, table, column, error.Message);
        }
    }

    private static AlquimiaException CannotLand(SourceDefinition source, SourceTable table, PostgresColumn column, string reason) => new(
        $"Source '{source.Name}': a value of column '{column.Name}' ({column.PostgresType}) of table {PostgresOptions.Of(source).Schema}.{table.Name} cannot be landed: "
        + $"{reason} {column.Fix}");

    /// <summary>Writes the staged rows, typed, as the batch's next part.</summary>
    private static void WritePart(
        StagingTable staging, LandingBatch batch, List<PostgresColumn> columns, SourceDefinition source, SourceTable table,
        CursorBoundary? boundary, CancellationToken cancellationToken)
    {
        var landed = $"SELECT {string.Join(", ", columns.Select(column => column.LandingExpression(SqlText.Identifier(column.Name))))} FROM {StagingTable.Sql}";
        if (boundary is not null)
        {
            landed = $"SELECT * FROM ({landed}) s WHERE NOT EXISTS (SELECT 1 FROM ({boundary.RowsAtValue()}) b WHERE {Matches(columns, boundary)})";
        }

        var part = batch.NextPartPath();
        try
        {
            batch.Added(staging.Connection.Execute(
                $"COPY ({landed}) TO {SqlText.Literal(part)} (FORMAT parquet, COMPRESSION snappy)",
                cancellationToken, boundary is null ? [] : [boundary.Value]));
        }
        catch (DuckDbEngineException error) when (error.ErrorType is DuckDBErrorType.Conversion or DuckDBErrorType.InvalidInput)
        {
            // A value PostgreSQL sent as text that its DuckDB type cannot hold, e.g. NaN in a numeric(10,2)[].
            // Its first line: the rest quotes the COPY's SQL.
            var reason = $"{error.DuckDbMessage.Trim().ReplaceLineEndings("\n").Split('\n')[0].TrimEnd('.')}.";
            throw FailingColumn(staging, columns, cancellationToken) is { } column
                ? CannotLand(source, table, column, reason)
                : new AlquimiaException(
                    $"Source '{source.Name}': table {PostgresOptions.Of(source).Schema}.{table.Name} has a value its landing type cannot hold: {reason} "
                    + "Fix the value in the source, or exclude the column (a view over the table without it).");
        }
    }

    /// <summary>
    /// The first column whose cast from its staged text fails: DuckDB's error names the value, not the column. Run only
    /// once a part has failed, so its cost (each cast column read once more) is paid only then.
    /// </summary>
    private static PostgresColumn? FailingColumn(StagingTable staging, List<PostgresColumn> columns, CancellationToken cancellationToken)
    {
        foreach (var column in columns.Where(column => column.StagingType != column.DuckDbType))
        {
            try
            {
                // hash() needs every value whole, so that every cast is made.
                staging.Connection.Execute($"SELECT max(hash({column.LandingValue(SqlText.Identifier(column.Name))})) FROM {StagingTable.Sql}", cancellationToken, []);
            }
            catch (DuckDbEngineException error) when (error.ErrorType is DuckDBErrorType.Conversion or DuckDBErrorType.InvalidInput)
            {
                return column;
            }
        }

        return null;
    }

    /// <summary>
    /// A landed row is the same row when every column the table has now matches it. The landed rows may predate a
    /// schema change: a column they lack counts as NULL in them (once bronze has it, the row landed again brings its
    /// value), and one whose type changed is compared as text. Under <c>schema_evolution: ignore</c> bronze never gets
    /// a new column, so a column the landed rows lack is left out of the comparison: else the row would land again
    /// at every sync.
    /// </summary>
    private static string Matches(List<PostgresColumn> columns, CursorBoundary boundary) =>
        string.Join(" AND ", columns.Where(column => !boundary.IgnoresNewColumns || boundary.Columns.ContainsKey(column.Name)).Select(column =>
        {
            var quoted = SqlText.Identifier(column.Name);
            if (!boundary.Columns.TryGetValue(column.Name, out var type))
            {
                return $"s.{quoted} IS NULL";
            }

            return string.Equals(type, column.DuckDbType, StringComparison.OrdinalIgnoreCase)
                ? $"b.{quoted} IS NOT DISTINCT FROM s.{quoted}"
                : $"CAST(b.{quoted} AS VARCHAR) IS NOT DISTINCT FROM CAST(s.{quoted} AS VARCHAR)";
        }));
}

/// <summary>
/// Where an incremental table's sync starts: the cursor value it reads from, inclusive, and the rows already landed
/// (bronze and pending files), so that the rows read again at exactly that value are not landed twice.
/// </summary>
/// <param name="Cursor">The cursor column.</param>
/// <param name="Value">The value the sync reads from, as DuckDB writes it.</param>
/// <param name="Landed">The rows already landed.</param>
/// <param name="Columns">The columns of the landed rows together, by name, with their types.</param>
internal sealed record CursorBoundary(PostgresColumn Cursor, string Value, LandedRows Landed, IReadOnlyDictionary<string, string> Columns)
{
    /// <summary>Set under <c>schema_evolution: ignore</c>, when bronze keeps its columns whatever the table gains.</summary>
    public bool IgnoresNewColumns { get; init; }

    /// <summary>The boundary at <paramref name="value"/>; null when nothing is landed (bronze dropped since the cursor was stored).</summary>
    public static CursorBoundary? At(
        CheckedConnection warehouse, Project project, SourceDefinition source, SourceTable table, PostgresColumn cursor, string value, CancellationToken cancellationToken)
    {
        var landed = LandedRows.Of(warehouse, project, source, table, cancellationToken);
        if (landed.IsEmpty)
        {
            return null;
        }

        // Bronze and a pending file may differ in columns (the table changed between them): their union is what the rows at the value have.
        var columns = RelationCatalog.DescribeQuery(warehouse, landed.All, cancellationToken);
        return new CursorBoundary(cursor, value, landed, columns.ToDictionary(column => column.Name, column => column.Type, StringComparer.OrdinalIgnoreCase))
        {
            IgnoresNewColumns = source.SchemaEvolution == SchemaEvolution.Ignore,
        };
    }

    /// <summary>The landed rows at exactly <see cref="Value"/>, which is parameter $1.</summary>
    public string RowsAtValue() => $"SELECT * FROM ({Landed.All}) WHERE {SqlText.Identifier(Cursor.Name)} = CAST($1 AS {Cursor.DuckDbType})";
}
