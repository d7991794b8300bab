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

/// <summary>What <c>alquimia quality</c> shows: the quality of every model checked in one run.</summary>
public sealed record QualityReport(string RunId, IReadOnlyList<ModelQuality> Models)
{
    /// <summary>The report of <paramref name="runId"/>, or of the newest run that checked anything.</summary>
    /// <remarks>Reads in a read-only transaction: the warehouse may be opened read-only, or be written by a run meanwhile.</remarks>
    public static QualityReport Read(EmbeddedWarehouse warehouse, string? runId = null) =>
        warehouse.Read(connection => Read(connection, warehouse.Path, runId));

    private static QualityReport Read(CheckedConnection connection, string warehousePath, string? runId)
    {
        StateTables.EnsureCurrent(connection, warehousePath);
        runId ??= connection.Scalar<string>($"SELECT run_id FROM {StateTables.QualityResults} ORDER BY recorded_at DESC, run_id DESC LIMIT 1")
            ?? throw new AlquimiaException("No run has checked data yet: add expectations or tests to models (docs/quality.md), then `alquimia run` or `alquimia test`.");
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
        return new QualityReport(runId, models);
    }
}
