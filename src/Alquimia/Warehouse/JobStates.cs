using Alquimia.Projects;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Warehouse;

/// <summary><c>_alquimia.job_states</c>: the jobs paused, so that a pause outlives the server that was told it.</summary>
internal static class JobStates
{
    /// <summary>The names of the jobs paused.</summary>
    public static HashSet<string> Paused(CheckedConnection connection) =>
        RelationCatalog.KindOf(connection, new QualifiedName(Layer.StateSchema, "job_states")) == RelationKind.None
            ? []
            : [.. connection.Query($"SELECT job FROM {StateTables.JobStates} WHERE paused", reader => reader.GetString(0))];

    /// <summary>When each job paused once was resumed, by name: the slots before it passed on purpose.</summary>
    public static Dictionary<string, DateTimeOffset> Resumed(CheckedConnection connection) =>
        RelationCatalog.KindOf(connection, new QualifiedName(Layer.StateSchema, "job_states")) == RelationKind.None
            ? new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal)
            : connection.Query($"SELECT job, changed_at FROM {StateTables.JobStates} WHERE NOT paused", reader => (Job: reader.GetString(0), At: reader.GetFieldValue<DateTimeOffset>(1)))
                .ToDictionary(row => row.Job, row => row.At, StringComparer.Ordinal);

    /// <summary>Pauses or resumes <paramref name="job"/>, saying who did.</summary>
    public static void Set(CheckedConnection connection, string job, bool paused, string by, DateTimeOffset at)
    {
        using var transaction = connection.BeginTransaction();
        connection.Execute($"DELETE FROM {StateTables.JobStates} WHERE job = $1", default, job);
        connection.Execute($"INSERT INTO {StateTables.JobStates} (job, paused, changed_at, changed_by) VALUES ($1, $2, $3, $4)", default, job, paused, at, by);
        transaction.Commit();
    }
}
