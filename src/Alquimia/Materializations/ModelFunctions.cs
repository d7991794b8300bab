using Alquimia.Warehouse.DuckDb;
using Alquimia.Projects;
using Alquimia.Warehouse;

namespace Alquimia.Materializations;

/// <summary>
/// Defines is_incremental(), watermark_lower_bound(), run_date() and run_started_at() for a model's SQL, as dbt's <c>{% if is_incremental() %}</c>
/// without a template language: temporary macros whose bodies are constants of the build (<see cref="BuildScope"/>).
/// DuckDB expands a macro while binding the query, so the optimizer folds <c>NOT FALSE OR …</c> and
/// <c>x &gt;= NULL</c> as it would literals: on a full build the batch's subquery is an empty result, never run.
/// </summary>
internal static class ModelFunctions
{
    /// <summary>
    /// Defines the functions for <paramref name="build"/> on <paramref name="connection"/>, which must happen before
    /// that connection first binds the model's SQL (describes or runs it). Temporary macros belong to the connection,
    /// so builds running in parallel on other connections keep their own values.
    /// </summary>
    public static void Define(CheckedConnection connection, ModelBuild build)
    {
        var scope = build.Scope;
        connection.Execute(
            $"CREATE OR REPLACE TEMP MACRO {ModelFunctionNames.IsIncremental}() AS {(scope.IsIncremental ? "TRUE" : "FALSE")}", build.CancellationToken);
        connection.Execute(
            $"CREATE OR REPLACE TEMP MACRO {ModelFunctionNames.WatermarkLowerBound}() AS {scope.WatermarkLowerBound ?? "NULL"}", build.CancellationToken);
        DefineRunFunctions(connection, build.RunDate, build.RunStartedAt, build.CancellationToken);
    }

    /// <summary>Defines run_date() and run_started_at() alone: for data tests run outside a build (<c>alquimia test</c>).</summary>
    public static void DefineRunFunctions(CheckedConnection connection, DateOnly runDate, DateTimeOffset runStartedAt, CancellationToken cancellationToken)
    {
        connection.Execute(
            $"CREATE OR REPLACE TEMP MACRO {ModelFunctionNames.RunDate}() AS DATE '{runDate:yyyy-MM-dd}'", cancellationToken);
        connection.Execute(
            $"CREATE OR REPLACE TEMP MACRO {ModelFunctionNames.RunStartedAt}() AS {SqlText.TimestampTz(runStartedAt)}", cancellationToken);
    }
}
