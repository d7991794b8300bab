using System.Globalization;
using Alquimia.Ingestion.Landing;
using Alquimia.Projects;
using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;
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
/// An incremental table is read past its stored cursor, and again over a lookback window behind it and wherever its
/// cursor is NULL or not finite; the rows read again are landed only when they differ from what is landed (see
/// <see cref="CopyIncrement"/>; docs/projects.md, "Incremental cursors", says what is guaranteed).
/// </remarks>
internal static class PostgresExtractor
{
    /// <summary>
    /// COPY data staged in DuckDB before it is written out as a landing part, rounded up to whole row groups
    /// (<see cref="RowGroupRows"/>). With one part filling while the one before is written, the extraction's memory
    /// stays flat whatever the table's size: bench/README.md has the figures (parts of 491,520 rows for seed 000's
    /// chamados, 245,760 for rows of 400 bytes; in one bench run each, 32 MB parts gave chamados 49% of psql's rows/s, 64 MB 60%). Settable for the
    /// tests, which make parts of a few rows.
    /// </summary>
    internal static long PartBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// The rows of a DuckDB row group, which a part's row count is a multiple of (the last part excepted): bronze takes
    /// the parts' row groups in order, and a part-filled one in the middle makes DuckDB rewrite the whole table at the
    /// next checkpoint (2M rows of 400 bytes in parts of about 150,000 rows: written twice, 2 GB of memory). Settable
    /// for the tests, with <see cref="PartBytes"/>.
    /// </summary>
    internal static int RowGroupRows { get; set; } = 122_880;

    /// <summary>
    /// Writes the table's rows past <see cref="ExtractionRequest.From"/> (all of them on a first sync or a full refresh)
    /// into the request's batch, from the run's snapshot; returns the rows, where the next sync starts, and the
    /// warnings for the step (columns landed as text).
    /// </summary>
    public static Extraction Extract(ExtractionRequest request, PostgresSnapshot snapshot, CancellationToken cancellationToken) =>
        Extract(request, snapshot.ConnectionString, snapshot.Id, extraColumns: [], cancellationToken);

    /// <summary>
    /// Writes the whole table, or its rows past the stored cursor, as it is in the exported snapshot
    /// <paramref name="snapshotId"/>, each row followed by <paramref name="extraColumns"/>: constants a caller adds to every
    /// row (a CDC snapshot's operation and sequence), each with its SELECT expression.
    /// </summary>
    public static Extraction Extract(
        ExtractionRequest request, string connectionString, string snapshotId, IReadOnlyList<PostgresColumn> extraColumns, CancellationToken cancellationToken)
    {
        var (source, table, warehouse) = (request.Source, request.Table, request.Warehouse);
        var schema = PostgresOptions.Of(source).Schema;
        using var connection = PostgresSource.Open(source, connectionString, cancellationToken);
        try
        {
            using var transaction = connection.BeginTransaction(System.Data.IsolationLevel.RepeatableRead);
            using (var imported = new NpgsqlCommand($"SET TRANSACTION SNAPSHOT '{snapshotId}'", connection, transaction))
            {
                imported.ExecuteNonQuery();
            }

            var columns = PostgresSource.Columns(connection, transaction, schema, table.Name);
            if (columns.Count == 0 && PostgresSource.Exists(connection, transaction, schema, table.Name))
            {
                throw new AlquimiaException(
                    $"Source '{source.Name}': table {schema}.{table.Name} has no columns in {PostgresConnectionString.Describe(connectionString)}, so "
                    + $"there is nothing to land (declared at {Path.GetFileName(source.FilePath)}:{table.Line}). Add its columns, or remove the table from the source.");
            }

            if (columns.Count == 0)
            {
                throw new AlquimiaException(
                    $"Source '{source.Name}': table {schema}.{table.Name} does not exist in {PostgresConnectionString.Describe(connectionString)} "
                    + $"(declared at {Path.GetFileName(source.FilePath)}:{table.Line}). Was it renamed or dropped? Fix the name, or remove the table from the source."
                    + (table.Discovered ? " It was synced before (tables: all found its landing folder): if it was dropped on purpose, add it to the source's exclude; its bronze and landing stay." : ""));
            }

            Landing.BronzeSchema.CheckColumnNames(source, table, columns.Select(column => column.Name));
            var cursor = CursorColumn(source, table, columns);
            var copy = new CopyTarget(connection, warehouse.ConnectionString, request.Batch, [.. columns, .. extraColumns], source, table);
            if (cursor is null)
            {
                Copy(copy, where: null, reRead: null, PartBytes, cancellationToken);
            }
            else
            {
                CopyIncrement(copy, request, cursor, PrimaryKey(connection, transaction, schema, table, columns), cancellationToken);
            }

            transaction.Commit();
            var next = cursor is null ? null : SyncStart.After(warehouse, request.Batch, request.From, cursor.Name, cursor.DuckDbType, cancellationToken);
            return new Extraction(request.Batch.Rows, next, [.. columns.Where(column => column.Warning is not null).Select(column => $"{table.Name}: {column.Warning}")]);
        }
        catch (NpgsqlException error)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw PostgresSource.Failed(source, connectionString, error);
        }
        catch (Exception error) when (error is IOException && !cancellationToken.IsCancellationRequested)
        {
            // The server went away (restarted, the backend terminated, the network cut) in the middle of the COPY: the
            // stream just ends. An I/O error, so the step's retries apply.
            throw new IOException(
                $"Source '{source.Name}': the connection to {PostgresConnectionString.Describe(connectionString)} was lost while table "
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
    /// An incremental table's rows since its last sync. The first sync reads them all. Then two reads of the one
    /// snapshot: first the rows read again, landed unless they are what is already landed (<see cref="ReReadRows"/>):
    /// those in the lookback window behind the stored cursor, which a transaction that committed after the last sync
    /// can have written with an older cursor value, and those whose cursor is NULL or not finite, which no cursor
    /// reaches. Then the rows past the stored cursor, which nothing landed yet has, in parts.
    /// </summary>
    private static void CopyIncrement(CopyTarget copy, ExtractionRequest request, PostgresColumn cursor, IReadOnlyList<string> key, CancellationToken cancellationToken)
    {
        var from = request.From?.Value;
        var windowStart = from is null ? null : CursorValues.WindowStart(request, cursor.Name, cursor.DuckDbType, cursor.PostgresType, from, cancellationToken);
        var reRead = ReReadRows.Of(request.Warehouse, request.Project, copy.Source, copy.Table, cursor.Name, cursor.DuckDbType, windowStart, key, cancellationToken);
        if (reRead is null)
        {
            Copy(copy, where: null, reRead: null, PartBytes, cancellationToken);
            return;
        }

        var quoted = SqlText.Identifier(cursor.Name);
        var unreachable = NonFinite(cursor) is { } nonFinite ? $"{quoted} IS NULL OR {nonFinite}" : $"{quoted} IS NULL";
        // Compared with what is landed all together, so in one part, however many they are.
        Copy(
            copy,
            from is null ? null : $"({quoted} >= {Value(cursor, windowStart!)} AND {quoted} <= {Value(cursor, from)}) OR {unreachable}",
            reRead,
            long.MaxValue,
            cancellationToken);
        if (from is not null)
        {
            Copy(copy, NonFinite(cursor) is { } infinite ? $"{quoted} > {Value(cursor, from)} AND NOT ({infinite})" : $"{quoted} > {Value(cursor, from)}", null, PartBytes, cancellationToken);
        }
    }

    /// <summary>A cursor value's text as a PostgreSQL constant of the cursor's type (a numeric's without its precision, which the lookback may pass).</summary>
    private static string Value(PostgresColumn cursor, string text) =>
        $"CAST({SqlText.Literal(text)} AS {(cursor.DuckDbType.StartsWith("DECIMAL", StringComparison.Ordinal) ? "numeric" : cursor.PostgresType)})";

    /// <summary>PostgreSQL's predicate for a cursor value that is not finite; null for a type that has none.</summary>
    private static string? NonFinite(PostgresColumn cursor)
    {
        var quoted = SqlText.Identifier(cursor.Name);
        return cursor.DuckDbType switch
        {
            _ when CursorValues.IsTemporal(cursor.DuckDbType) => $"NOT isfinite({quoted})",
            "FLOAT" or "DOUBLE" => $"{quoted} IN ('NaN', 'Infinity', '-Infinity')",
            _ when cursor.DuckDbType.StartsWith("DECIMAL", StringComparison.Ordinal) => $"{quoted} = 'NaN'",
            _ => null,
        };
    }

    /// <summary>
    /// The columns identifying a row: the table's declared <c>primary_key</c>, else the primary key PostgreSQL has for
    /// it; empty when neither (the rows are then told apart by all their values).
    /// </summary>
    private static IReadOnlyList<string> PrimaryKey(NpgsqlConnection connection, NpgsqlTransaction transaction, string schema, SourceTable table, List<PostgresColumn> columns)
    {
        var names = columns.Select(column => column.Name).ToHashSet(StringComparer.Ordinal);
        return table.PrimaryKey.Count > 0 && table.PrimaryKey.All(names.Contains)
            ? table.PrimaryKey
            : PostgresSource.PrimaryKey(connection, transaction, schema, table.Name);
    }

    /// <summary>
    /// Streams the rows through binary COPY into DuckDB staging tables, each field written from its wire bytes, and
    /// writes a landing part from each every <paramref name="partBytes"/> of COPY data: memory stays flat whatever the
    /// table's size. <paramref name="where"/> filters the rows in PostgreSQL; <paramref name="reRead"/>, when set,
    /// keeps only the rows not landed already.
    /// </summary>
    private static void Copy(CopyTarget copy, string? where, ReReadRows? reRead, long partBytes, CancellationToken cancellationToken)
    {
        var (source, table, columns) = (copy.Source, copy.Table, copy.Columns);
        var select = $"SELECT {string.Join(", ", columns.Select(column => column.SelectExpression))} FROM {SqlText.Identifier(PostgresOptions.Of(source).Schema)}.{SqlText.Identifier(table.Name)}";
        if (where is not null)
        {
            // COPY takes no parameters: the values are literals, cast to the column's own type.
            select += $" WHERE {where}";
        }

        using var stream = copy.Connection.BeginRawBinaryCopy($"COPY ({select}) TO STDOUT (FORMAT BINARY)");
        // Cancelling asks the server to stop the COPY; the next read then fails and the caller turns that into a cancellation.
        using var registration = cancellationToken.Register(stream.Cancel);
        var reader = new BinaryCopyReader(stream);
        try
        {
            CopyInParts(copy, reader, reRead, partBytes, cancellationToken);
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
    private static void CopyInParts(CopyTarget copy, BinaryCopyReader reader, ReReadRows? reRead, long partBytes, CancellationToken cancellationToken)
    {
        var (source, table, columns) = (copy.Source, copy.Table, copy.Columns);
        var staged = columns.Select(column => new StagedColumn(column.Name, column.StagingType)).ToList();
        using var first = new StagingTable(copy.Warehouse, staged);
        using var second = new StagingTable(copy.Warehouse, staged);
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
                    more = AppendRows(reader, appender, columns, source, table, partBytes == long.MaxValue ? long.MaxValue : reader.BytesRead + partBytes);
                }

                writing.GetAwaiter().GetResult();
                var filled = filling;
                writing = Task.Run(
                    () =>
                    {
                        WritePart(filled, copy, reRead, cancellationToken);
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
        var rowGroupRows = RowGroupRows;
        while (reader.BytesRead < untilBytes || appender.RowsAppended % rowGroupRows != 0)
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
    /// <remarks>A value PostgreSQL sent as text that its DuckDB type cannot hold (e.g. NaN in a numeric(10,2)[]) fails the part, naming its column.</remarks>
    private static void WritePart(StagingTable staging, CopyTarget copy, ReReadRows? reRead, CancellationToken cancellationToken)
    {
        var (source, table, columns) = (copy.Source, copy.Table, copy.Columns);
        staging.WritePart(copy.Batch, [.. columns.Select(column => column.Landed)], reRead, (index, reason) => index is { } failing
            ? CannotLand(source, table, columns[failing], reason)
            : new AlquimiaException(
                $"Source '{source.Name}': table {PostgresOptions.Of(source).Schema}.{table.Name} has a value its landing type cannot hold: {reason} "
                + "Fix the value in the source, or exclude the column (a view over the table without it)."),
            cancellationToken);
    }
}

/// <summary>Where a table's COPY goes: the source connection it reads on, the warehouse, the batch, and the table's columns.</summary>
internal sealed record CopyTarget(NpgsqlConnection Connection, string Warehouse, LandingBatch Batch, List<PostgresColumn> Columns, SourceDefinition Source, SourceTable Table);
