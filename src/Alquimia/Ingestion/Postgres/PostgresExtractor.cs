using System.Globalization;
using Alquimia.Engine.DuckDb;
using Alquimia.Projects;
using Alquimia.Warehouse;
using Npgsql;
using NpgsqlTypes;

namespace Alquimia.Ingestion.Postgres;

/// <summary>What one table's extraction wrote.</summary>
/// <param name="Rows">Rows in the landing file.</param>
/// <param name="Bytes">The landing file's size; 0 when no file was written.</param>
/// <param name="File">The landing file, or null when an incremental sync found nothing new.</param>
/// <param name="Warnings">Columns that land as text, and the like.</param>
internal sealed record ExtractionResult(long Rows, long Bytes, string? File, IReadOnlyList<string> Warnings);

/// <summary>
/// Extracts one PostgreSQL table into a landing Parquet file (seed 000's Fivetran sync, done by Alquimia): the rows
/// stream through a binary <c>COPY (SELECT …) TO STDOUT</c> into a DuckDB staging table with the appender, and DuckDB
/// writes the file from it. The file appears under its final name only once complete, and bronze takes it in the
/// step's transaction (<see cref="LandingLoader"/>), so a sync cut short leaves nothing half-recorded.
/// </summary>
/// <remarks>
/// An incremental table is read from the highest cursor value already in bronze or in a landed file not yet loaded,
/// inclusive: a row updated at exactly that instant after the last sync is not lost. The rows read again at that
/// value are dropped when bronze or a pending file already holds them, identical, so none is landed twice.
/// </remarks>
internal static class PostgresExtractor
{
    public static ExtractionResult Extract(
        DuckDbConnection warehouse, Project project, SourceDefinition source, SourceTable table, PostgresSnapshot snapshot,
        string runId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var connection = PostgresSource.Open(source, snapshot.ConnectionString, cancellationToken);
        try
        {
            using var transaction = connection.BeginTransaction(System.Data.IsolationLevel.RepeatableRead);
            using (var imported = new NpgsqlCommand($"SET TRANSACTION SNAPSHOT '{snapshot.Id}'", connection, transaction))
            {
                imported.ExecuteNonQuery();
            }

            var columns = PostgresSource.Columns(connection, transaction, source.Schema, table.Name);
            if (columns.Count == 0)
            {
                throw new AlquimiaException(
                    $"Source '{source.Name}': table {source.Schema}.{table.Name} does not exist in {PostgresConnectionString.Describe(snapshot.ConnectionString)} "
                    + $"(declared at {Path.GetFileName(source.FilePath)}:{table.Line}). Was it renamed or dropped? Fix the name, or remove the table from the source.");
            }

            var cursor = CursorColumn(source, table, columns);
            var pending = LandingLoader.PendingFiles(warehouse, project, source, table, cancellationToken);
            var lastCursor = cursor is null ? null : LastCursor(warehouse, table, cursor, pending, cancellationToken);
            var staging = QualifiedName.Quote($"__alquimia_extract_{table.Name}");
            warehouse.Execute(
                $"CREATE OR REPLACE TEMP TABLE {staging} ({string.Join(", ", columns.Select(column => $"{QualifiedName.Quote(column.Name)} {column.StagingType}"))})",
                cancellationToken);
            try
            {
                Copy(connection, warehouse, staging, columns, source, table, cursor, lastCursor, cancellationToken);
                transaction.Commit();
                var warnings = columns.Where(column => column.Warning is not null).Select(column => $"{table.Name}: {column.Warning}").ToList();
                return WriteLanding(warehouse, project, source, table, staging, columns, cursor, lastCursor, pending, runId, now, warnings, cancellationToken);
            }
            finally
            {
                warehouse.Execute($"DROP TABLE IF EXISTS {staging}", CancellationToken.None);
            }
        }
        catch (NpgsqlException error)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw PostgresSource.Failed(source, snapshot.ConnectionString, error);
        }
    }

    private static PostgresColumn? CursorColumn(SourceDefinition source, SourceTable table, List<PostgresColumn> columns)
    {
        if (table.Mode != ExtractionMode.Incremental)
        {
            return null;
        }

        return columns.FirstOrDefault(column => column.Name == table.Cursor)
            ?? throw new AlquimiaException(
                $"Source '{source.Name}': the cursor column '{table.Cursor}' of table {table.Name} ({Path.GetFileName(source.FilePath)}:{table.Line}) is not in "
                + $"{source.Schema}.{table.Name}, whose columns are: {string.Join(", ", columns.Select(column => column.Name))}.");
    }

    /// <summary>The highest cursor value already landed, as DuckDB writes it; null on a first sync.</summary>
    private static string? LastCursor(DuckDbConnection warehouse, SourceTable table, PostgresColumn cursor, List<FileInfo> pending, CancellationToken cancellationToken)
    {
        var quoted = QualifiedName.Quote(cursor.Name);
        var sources = new List<string>();
        if (RelationCatalog.KindOf(warehouse, table.BronzeName, cancellationToken) != RelationKind.None)
        {
            sources.Add($"SELECT max({quoted}) AS c FROM {table.BronzeName.Sql}");
        }

        if (pending.Count > 0)
        {
            sources.Add($"SELECT max({quoted}) AS c FROM read_parquet({PathList(pending)}, union_by_name = true)");
        }

        return sources.Count == 0
            ? null
            : warehouse.Scalar<string>($"SELECT CAST(max(c) AS VARCHAR) FROM ({string.Join(" UNION ALL ", sources)})", cancellationToken);
    }

    /// <summary>Streams the rows through binary COPY into the staging table.</summary>
    private static void Copy(
        NpgsqlConnection connection, DuckDbConnection warehouse, string staging, List<PostgresColumn> columns, SourceDefinition source, SourceTable table,
        PostgresColumn? cursor, string? lastCursor, CancellationToken cancellationToken)
    {
        var select = $"SELECT {string.Join(", ", columns.Select(column => column.SelectExpression))} FROM {Quote(source.Schema)}.{Quote(table.Name)}";
        if (cursor is not null && lastCursor is not null)
        {
            // COPY takes no parameters: the value is a literal, cast to the column's own type.
            select += $" WHERE {Quote(cursor.Name)} >= CAST('{lastCursor.Replace("'", "''", StringComparison.Ordinal)}' AS {cursor.PostgresType})";
        }

        using var appender = warehouse.CreateAppender(staging.Trim('"'));
        using var reader = connection.BeginBinaryExport($"COPY ({select}) TO STDOUT (FORMAT BINARY)");
        // Cancelling asks the server to stop the COPY; the next read then fails and the caller turns that into a cancellation.
        using var registration = cancellationToken.Register(reader.Cancel);
        while (reader.StartRow() != -1)
        {
            var row = appender.CreateRow();
            foreach (var column in columns)
            {
                row = reader.IsNull ? Skip(reader, row) : Append(reader, row, column.Wire);
            }

            row.EndRow();
        }
    }

    private static DuckDbAppenderRow Skip(NpgsqlBinaryExporter reader, DuckDbAppenderRow row)
    {
        reader.Skip();
        return row.AppendNull();
    }

    private static DuckDbAppenderRow Append(NpgsqlBinaryExporter reader, DuckDbAppenderRow row, PostgresWireValue wire) => wire switch
    {
        PostgresWireValue.Boolean => row.Append(reader.Read<bool>()),
        PostgresWireValue.Int16 => row.Append(reader.Read<short>()),
        PostgresWireValue.Int32 => row.Append(reader.Read<int>()),
        PostgresWireValue.Int64 => row.Append(reader.Read<long>()),
        PostgresWireValue.Float4 => row.Append(reader.Read<float>()),
        PostgresWireValue.Float8 => row.Append(reader.Read<double>()),
        PostgresWireValue.Text => row.Append(reader.Read<string>()),
        PostgresWireValue.Bytes => row.Append(reader.Read<byte[]>()),
        PostgresWireValue.Date => row.Append(reader.Read<DateOnly>()),
        PostgresWireValue.Timestamp => row.Append(reader.Read<DateTime>(NpgsqlDbType.Timestamp)),
        PostgresWireValue.TimestampTz => row.Append(new DateTimeOffset(reader.Read<DateTime>(NpgsqlDbType.TimestampTz))),
        PostgresWireValue.Time => row.Append(reader.Read<TimeOnly>()),
        PostgresWireValue.Interval => row.Append(ToInterval(reader.Read<NpgsqlInterval>())),
        PostgresWireValue.Uuid => row.Append(reader.Read<Guid>()),
        _ => throw new ArgumentOutOfRangeException(nameof(wire), wire, "Unknown wire value."),
    };

    private static DuckDbInterval ToInterval(NpgsqlInterval interval) => new(interval.Months, interval.Days, interval.Time);

    /// <summary>Writes the staged rows, typed, to the landing file: first under a temporary name, then renamed.</summary>
    private static ExtractionResult WriteLanding(
        DuckDbConnection warehouse, Project project, SourceDefinition source, SourceTable table, string staging, List<PostgresColumn> columns,
        PostgresColumn? cursor, string? lastCursor, List<FileInfo> pending, string runId, DateTimeOffset now, List<string> warnings, CancellationToken cancellationToken)
    {
        var landed = $"SELECT {string.Join(", ", columns.Select(column => column.LandingExpression(QualifiedName.Quote(column.Name))))} FROM {staging}";
        if (cursor is not null && lastCursor is not null)
        {
            landed = $"SELECT * FROM ({landed}) s WHERE NOT EXISTS (SELECT 1 FROM ({AlreadyLanded(warehouse, table, cursor, pending, cancellationToken)}) b WHERE {Matches(columns)})";
        }

        var folder = Path.Combine(LandingLoader.LandingFolder(project, source, table), $"ingestion_date={now.UtcDateTime:yyyy-MM-dd}");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, $"{runId}-{now.UtcTicks.ToString(CultureInfo.InvariantCulture)}.parquet");
        var partial = Path.Combine(folder, $".{Path.GetFileName(file)}.partial");
        long rows = warehouse.Execute(
            $"COPY ({landed}) TO '{partial.Replace("'", "''", StringComparison.Ordinal)}' (FORMAT parquet, COMPRESSION snappy)",
            cancellationToken, lastCursor is null ? [] : [lastCursor]);
        if (rows == 0 && table.Mode == ExtractionMode.Incremental)
        {
            // Nothing new: an empty file a day would only clutter the lake. A full refresh keeps its empty file: the
            // table was empty at that sync.
            File.Delete(partial);
            return new ExtractionResult(0, 0, null, warnings);
        }

        File.Move(partial, file, overwrite: true);
        return new ExtractionResult(rows, new FileInfo(file).Length, file, warnings);
    }

    /// <summary>The rows already landed at the last cursor value: in bronze, and in files landed but not loaded yet.</summary>
    private static string AlreadyLanded(DuckDbConnection warehouse, SourceTable table, PostgresColumn cursor, List<FileInfo> pending, CancellationToken cancellationToken)
    {
        var atLast = $"{QualifiedName.Quote(cursor.Name)} = CAST($1 AS {cursor.DuckDbType})";
        var landed = new List<string>();
        if (RelationCatalog.KindOf(warehouse, table.BronzeName, cancellationToken) != RelationKind.None)
        {
            landed.Add($"SELECT * EXCLUDE (_ingestion_timestamp, _batch_id, _source) FROM {table.BronzeName.Sql} WHERE {atLast}");
        }

        if (pending.Count > 0)
        {
            landed.Add($"SELECT * FROM read_parquet({PathList(pending)}, union_by_name = true) WHERE {atLast}");
        }

        return string.Join(" UNION ALL BY NAME ", landed);
    }

    private static string Matches(List<PostgresColumn> columns) =>
        string.Join(" AND ", columns.Select(column => $"b.{QualifiedName.Quote(column.Name)} IS NOT DISTINCT FROM s.{QualifiedName.Quote(column.Name)}"));

    private static string PathList(List<FileInfo> files) =>
        "[" + string.Join(", ", files.Select(file => "'" + file.FullName.Replace("'", "''", StringComparison.Ordinal) + "'")) + "]";

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
