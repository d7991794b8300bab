using Alquimia.Projects;
using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Ingestion.Landing;

/// <summary>
/// The malformed lines of CSV landing files (too many or too few fields, a quote left open, bytes that are not the
/// file's encoding), as Databricks' badRecordsPath keeps them: DuckDB's reader sets each aside while the file's other
/// rows load, and they are kept in <c>_alquimia.rejected_rows</c> with the file, the line, the reason and the line's text.
/// </summary>
internal static class RejectedRows
{
    /// <summary>How many lines of one file were set aside by a run, and the first of them.</summary>
    public sealed record FileRejections(string Path, long Lines, long FirstLine, string FirstReason);

    /// <summary>Moves what DuckDB's reader set aside in the statement just run into the state table, in the caller's transaction.</summary>
    public static void Keep(CheckedConnection connection, Project project, SourceDefinition source, SourceTable table, string runId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!connection.Scalar<bool>($"SELECT count(*) > 0 FROM duckdb_tables() WHERE temporary AND table_name = '{LandingRows.RejectErrors}'", cancellationToken))
        {
            return;
        }

        connection.Execute(
            $"""
            INSERT INTO {StateTables.RejectedRows} (source, table_name, path, line, column_name, error_type, reason, content, run_id, rejected_at)
            SELECT $1, $2,
                   {LandingRows.LakePathOf("scans.file_path", project.LakePath)},
                   errors.line, errors.column_name, CAST(errors.error_type AS VARCHAR), errors.error_message, errors.csv_line, $3, $4
            FROM temp.{LandingRows.RejectErrors} AS errors
            JOIN temp.{LandingRows.RejectScans} AS scans USING (scan_id, file_id)
            """,
            cancellationToken, source.Name, table.Name, runId, now);
        connection.Execute($"DROP TABLE temp.{LandingRows.RejectErrors}; DROP TABLE IF EXISTS temp.{LandingRows.RejectScans}", cancellationToken);
    }

    /// <summary>The files of <paramref name="table"/> with lines set aside by run <paramref name="runId"/>, in path order.</summary>
    public static List<FileRejections> OfRun(CheckedConnection connection, SourceDefinition source, SourceTable table, string runId, CancellationToken cancellationToken) =>
        connection.Query(
            $"""
            SELECT path, count(DISTINCT line), min(line), arg_min(reason, line)
            FROM {StateTables.RejectedRows} WHERE source = $1 AND table_name = $2 AND run_id = $3
            GROUP BY path ORDER BY path
            """,
            reader => new FileRejections(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), FirstLine(reader.GetString(3))),
            cancellationToken, source.Name, table.Name, runId);

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
