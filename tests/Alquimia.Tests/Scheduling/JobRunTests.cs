using Alquimia.Orchestration;
using Alquimia.Tests.Warehouse.DuckDb;
using Alquimia.Tests.Orchestration;
using Alquimia.Tests.Projects;

namespace Alquimia.Tests.Scheduling;

/// <summary>
/// A job's slot runs once: its run is recorded with the slot, in the transaction that starts it, and a second run of
/// the slot (a restarted server, a backfill over it) is refused; <c>alquimia backfill</c> runs a job's slots in order.
/// </summary>
public sealed class JobRunTests : IDisposable
{
    private readonly ProjectFolder _folder = new(withProjectFile: false);

    public JobRunTests()
    {
        _folder.WriteCrmJob();
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void AJobsSlots_HaveTheRunDatesOfTheirDays_InTheJobsZone()
    {
        var job = _folder.Load().Jobs.Single();

        var slots = JobRuns.SlotsFor(job, new DateOnly(2026, 12, 5), new DateOnly(2026, 12, 7));

        Assert.Equal(
            ["2026-12-05 09:00Z 2026-12-05", "2026-12-06 09:00Z 2026-12-06", "2026-12-07 09:00Z 2026-12-07"],
            slots.Select(slot => $"{slot.At.UtcDateTime:yyyy-MM-dd HH:mm}Z {slot.RunDate:yyyy-MM-dd}"));
        Assert.Equal(2, JobRuns.ProjectFor(_folder.Load(), job).Settings.Retries);
    }

    [Fact]
    public async Task ASlotRunsOnce_ASecondRunOfItIsRefused_NamingTheFirst()
    {
        var project = _folder.Load();
        var slot = JobRuns.SlotsFor(project.Jobs.Single(), new DateOnly(2026, 12, 6), new DateOnly(2026, 12, 6)).Single();

        var first = await Runs.RunAsync(JobRuns.ProjectFor(project, slot.Job), JobRuns.OptionsFor(slot));
        var second = await Assert.ThrowsAsync<AlquimiaException>(() => Runs.RunAsync(project, JobRuns.OptionsFor(slot)));

        Assert.True(first.Succeeded);
        Assert.Contains($"Job 'diario' already ran its slot of 2026-12-06 06:00:00 -03:00 (run date 2026-12-06) in run {first.Run.RunId} (succeeded)", second.Message, StringComparison.Ordinal);
        Assert.Equal(
            [$"diario|2026-12-06 09:00:00+00|2026-12-06|{first.Run.RunId}"],
            WarehouseRows.Of(project.WarehousePath, "SELECT job || '|' || strftime(timezone('UTC', slot_at), '%Y-%m-%d %H:%M:%S') || '+00|' || run_date || '|' || run_id FROM _alquimia.job_slots"));
        Assert.Equal(["1"], WarehouseRows.Of(project.WarehousePath, "SELECT count(*) FROM _alquimia.runs"));
        Assert.Equal(["2026-12-06"], WarehouseRows.Of(project.WarehousePath, "SELECT data_referencia FROM gold.crm_metrics_daily"));
    }

    [Fact]
    public async Task Backfill_RunsEachSlotInOrder_WithItsRunDate_AndLeavesAloneWhatRanAlready()
    {
        var first = await CliProcess.RunAsync(["backfill", "--project", _folder.Path, "--job", "diario", "--from", "2026-12-05", "--to", "2026-12-06"]);
        var again = await CliProcess.RunAsync(["backfill", "--project", _folder.Path, "--job", "diario", "--from", "2026-12-06", "--to", "2026-12-07"]);
        var unknown = await CliProcess.RunAsync(["backfill", "--project", _folder.Path, "--job", "semanal", "--from", "2026-12-06", "--to", "2026-12-07"]);

        Assert.True(first.ExitCode == 0, first.Output + first.Error);
        Assert.True(again.ExitCode == 0, again.Output + again.Error);
        Assert.Contains("Slot 2026-12-06 06:00 -03:00 (run date 2026-12-06) already ran in run ", again.Output, StringComparison.Ordinal);
        Assert.Equal(
            ["2026-12-05", "2026-12-06", "2026-12-07"],
            WarehouseRows.Of(_folder.Load().WarehousePath, "SELECT r.run_date FROM _alquimia.job_slots s JOIN _alquimia.runs r USING (run_id) ORDER BY s.slot_at"));
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("--job semanal: alquimia.yml has no such job. Its jobs: diario.", unknown.Output + unknown.Error, StringComparison.Ordinal);
    }
}
