using System.Text.Json;
using Alquimia.Materializations;
using Alquimia.Projects;
using Alquimia.Warehouse;

namespace Alquimia.Quality;

/// <summary>Writes one row per rule and build to <c>_alquimia.quality_results</c>, in the model's transaction.</summary>
internal static class QualityResults
{
    public static void Record(ModelBuild build, QualityOutcome outcome)
    {
        foreach (var (rule, result) in build.Model.Config.Expectations.Zip(outcome.Rules))
        {
            build.Execute(
                $"""
                INSERT INTO {StateTables.QualityResults}
                    (run_id, model, rule, kind, action, definition, rows_checked, rows_failed, sample_keys, recorded_at)
                VALUES ($1, $2, $3, 'expectation', $4, $5, $6, $7, CAST(CAST($8 AS JSON) AS VARCHAR[]), $9)
                """,
                build.RunId, build.Model.Name.ToString(), rule.Name, ActionName(rule.Action), rule.Expression,
                outcome.RowsChecked, result.RowsFailed, JsonSerializer.Serialize(result.SampleKeys), build.RunStartedAt);
        }
    }

    public static string ActionName(ExpectationAction action) => action.ToString().ToLowerInvariant();
}
