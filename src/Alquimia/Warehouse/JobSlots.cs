using Alquimia.Projects;
using Alquimia.Scheduling;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Warehouse;

/// <summary>
/// <c>_alquimia.job_slots</c>: each slot of a job that a run was started for, with that run. Written in the transaction
/// that records the run's start, so that a slot is never run twice, by a server, a restarted one or a backfill.
/// </summary>
internal static class JobSlots
{
    /// <summary>True when the warehouse has the table (a warehouse no run has written yet has none).</summary>
    public static bool Exist(CheckedConnection connection) =>
        RelationCatalog.KindOf(connection, new QualifiedName(Layer.StateSchema, "job_slots")) != RelationKind.None;

    /// <summary>Records that <paramref name="runId"/> runs <paramref name="slot"/>.</summary>
    public static void Claim(CheckedConnection connection, JobSlot slot, string runId, DateTimeOffset at) =>
        connection.Execute(
            $"INSERT INTO {StateTables.JobSlots} (job, slot_at, run_date, run_id, claimed_at) VALUES ($1, $2, $3, $4, $5)",
            default, slot.Job.Name, slot.At, slot.RunDate, runId, at);

    /// <summary>The run that ran <paramref name="slot"/>, with its status; null when none did.</summary>
    public static (string RunId, string? Status)? RunOf(CheckedConnection connection, JobSlot slot) =>
        connection.Query(
            $"""
            SELECT s.run_id, r.status FROM {StateTables.JobSlots} s LEFT JOIN {StateTables.Runs} r ON r.run_id = s.run_id
            WHERE s.job = $1 AND s.slot_at = $2
            """,
            reader => ((string RunId, string? Status)?)(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)),
            default, slot.Job.Name, slot.At).FirstOrDefault();

    /// <summary>Each job's latest slot run, by job name: where its schedule resumes.</summary>
    public static Dictionary<string, DateTimeOffset> Latest(CheckedConnection connection) =>
        connection.Query(
            $"SELECT job, max(slot_at) FROM {StateTables.JobSlots} GROUP BY job",
            reader => (Job: reader.GetString(0), At: reader.GetFieldValue<DateTimeOffset>(1)))
        .ToDictionary(row => row.Job, row => row.At, StringComparer.Ordinal);

    /// <summary>When each job's latest successful slot run ended, by job name.</summary>
    public static Dictionary<string, DateTimeOffset> LastSuccesses(CheckedConnection connection) =>
        connection.Query(
            $"""
            SELECT s.job, max(r.finished_at) FROM {StateTables.JobSlots} s JOIN {StateTables.Runs} r ON r.run_id = s.run_id
            WHERE r.status = 'succeeded' GROUP BY s.job
            """,
            reader => (Job: reader.GetString(0), At: reader.GetFieldValue<DateTimeOffset>(1)))
        .ToDictionary(row => row.Job, row => row.At, StringComparer.Ordinal);
}
