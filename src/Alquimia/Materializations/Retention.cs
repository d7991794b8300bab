using Alquimia.Warehouse.DuckDb;
using Alquimia.Projects;

namespace Alquimia.Materializations;

/// <summary>
/// Deletes the rows older than the model's retention (seed 004's "remove dados &gt; 90 dias"), counted back from the
/// run date, so a backfill of a past day keeps what that day kept.
/// </summary>
internal static class Retention
{
    /// <summary>Returns the rows deleted; zero when the model keeps everything.</summary>
    public static long Apply(ModelBuild build)
    {
        if (build.Model.Config.Retention is not { } retention)
        {
            return 0;
        }

        return build.Execute(
            $"DELETE FROM {build.Target.Sql} WHERE {SqlText.Identifier(retention.Column)} < {ModelFunctionNames.RunDate}() - CAST($1 AS INTERVAL)",
            retention.Keep);
    }
}
