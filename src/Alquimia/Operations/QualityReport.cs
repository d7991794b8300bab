using Alquimia.Orchestration;
using System.Text.Json;
using Alquimia.Projects;
using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Operations;

/// <summary>One rule's or test's result in a run, as quality_results keeps it.</summary>
public sealed record RuleResult(string Rule, string Kind, string Action, long RowsChecked, long RowsFailed, IReadOnlyList<string> SampleKeys);

/// <summary>
/// One model in the report: its rows in, valid, quarantined, dropped and warned (null for a run of tests alone), and
/// its rules and tests, the worst first.
/// </summary>
/// <param name="RowsReleased">Rows quarantined by earlier runs that passed in this one and entered the model.</param>
public sealed record ModelQuality(
    string Model, string? Status, long? RowsIn, long? RowsValid, long? RowsQuarantined, long? RowsDropped, long? RowsWarned, long? RowsReleased,
    string? Warning, IReadOnlyList<RuleResult> Rules);

/// <summary>
/// One source table's sync in the report: what landed and what bronze took, and what was set aside, so that a table
/// that brought 0 rows (seed 000's first alert, "Qtd Bronze = 0") is seen beside the models.
/// </summary>
/// <param name="RowsLanded">Rows extracted, or in the run's new files; null when nothing new could land.</param>
/// <param name="RowsRejected">Malformed lines of the run's files set aside in <c>_alquimia.rejected_rows</c>.</param>
public sealed record SourceQuality(
    string Source, string Table, string Mode, long? RowsLanded, long RowsLoaded, int Files, long RowsRejected, IReadOnlyList<string> Checks, string? Warning);

/// <summary>What <c>alquimia quality</c> shows: the bronze rows of each source table synced, and the quality of every model checked, in one run.</summary>
public sealed record QualityReport(string RunId, IReadOnlyList<ModelQuality> Models)
{
    /// <summary>The run's syncs of source tables, in name order; empty for a run of tests alone.</summary>
    public IReadOnlyList<SourceQuality> Sources { get; init; } = [];

    /// <summary>The report of <paramref name="runId"/>, or of the newest run that checked anything.</summary>
    /// <remarks>Reads in a read-only transaction: the warehouse may be opened read-only, or be written by a run meanwhile.</remarks>
    public static QualityReport Read(EmbeddedWarehouse warehouse, string? runId = null) =>
        warehouse.Read(connection => Read(connection, warehouse.Path, runId));

    private static QualityReport Read(CheckedConnection connection, string warehousePath, string? runId)
    {
        StateTables.EnsureCurrent(connection, warehousePath);
        runId ??= connection.Scalar<string>(
                $"""
                SELECT run_id FROM (
                    SELECT run_id, recorded_at AS recorded FROM {StateTables.QualityResults}
                    UNION ALL SELECT run_id, finished_at FROM {StateTables.SourceSyncs})
                ORDER BY recorded DESC, run_id DESC LIMIT 1
                """)
            ?? throw new AlquimiaException("No run has synced or checked data yet: `alquimia run` syncs the sources; expectations and tests on models (docs/quality.md) check them.");
        var rules = connection.Query(
            $"""
            SELECT model, rule, kind, action, rows_checked, rows_failed, CAST(to_json(sample_keys) AS VARCHAR)
            FROM {StateTables.QualityResults} WHERE run_id = $1
            ORDER BY model, rows_failed DESC, rule
            """,
            reader => (Model: reader.GetString(0), Result: new RuleResult(reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4), reader.GetInt64(5),
                reader.IsDBNull(6) ? [] : JsonSerializer.Deserialize<List<string>>(reader.GetString(6)) ?? [])),
            default, runId);
        if (rules.Count == 0 && !RunLedger.HasRun(connection, runId))
        {
            throw new AlquimiaException($"There is no quality result for run '{runId}' in {warehousePath}. `alquimia status` lists the recent runs.");
        }

        var steps = RunLedger.ModelRunsOf(connection, runId).ToDictionary(step => step.Model, StringComparer.Ordinal);
        var models = rules.GroupBy(rule => rule.Model, StringComparer.Ordinal)
            .Select(group =>
            {
                var step = steps.GetValueOrDefault(group.Key);
                var quality = step?.Quality;
                return new ModelQuality(group.Key, step?.Status.ToString().ToLowerInvariant(), quality?.RowsChecked, quality?.RowsValid, quality?.RowsQuarantined,
                    quality?.RowsDropped, quality?.RowsWarned, quality?.RowsReleased, step?.Warning, group.Select(rule => rule.Result).ToList());
            })
            .OrderByDescending(model => model.Rules.Sum(rule => rule.RowsFailed)).ThenBy(model => model.Model, StringComparer.Ordinal)
            .ToList();
        var rejected = connection.Query(
                $"SELECT source, table_name, count(*) FROM {StateTables.RejectedRows} WHERE run_id = $1 GROUP BY ALL",
                reader => (Key: (reader.GetString(0), reader.GetString(1)), Rows: reader.GetInt64(2)), default, runId)
            .ToDictionary(entry => entry.Key, entry => entry.Rows);
        var sources = SourceSyncs.OfRun(connection, runId)
            .Select(sync => new SourceQuality(
                sync.Source, sync.Table, sync.Mode, sync.RowsLanded, sync.RowsLoaded, sync.Files, rejected.GetValueOrDefault((sync.Source, sync.Table)), sync.Checks, sync.Warning))
            .OrderBy(sync => sync.Source, StringComparer.Ordinal).ThenBy(sync => sync.Table, StringComparer.Ordinal)
            .ToList();
        return new QualityReport(runId, models) { Sources = sources };
    }
}
