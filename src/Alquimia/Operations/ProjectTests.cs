using Alquimia.Materializations;
using Alquimia.Orchestration;
using Alquimia.Warehouse.DuckDb;
using Alquimia.Graph;
using Alquimia.Projects;
using Alquimia.Quality;
using Alquimia.Warehouse;

namespace Alquimia.Operations;

/// <summary>
/// The data tests of one model as <c>alquimia test</c> ran them; <paramref name="Missing"/> when its relation does not
/// exist yet, <paramref name="Error"/> when a test could not run (its SQL names a column that is gone, say).
/// </summary>
public sealed record ModelTestResults(string Model, IReadOnlyList<TestOutcome> Outcomes, bool Missing = false, string? Error = null);

/// <summary>What <c>alquimia test</c> found, recorded in quality_results under <paramref name="RunId"/>.</summary>
public sealed record TestRunReport(string RunId, IReadOnlyList<ModelTestResults> Models)
{
    /// <summary>True when an error-severity test failed, or a tested relation is missing.</summary>
    public bool Failed => Models.Any(model => model.Missing || model.Error is not null || model.Outcomes.Any(outcome => outcome.Failed && outcome.Test.Severity == TestSeverity.Error));
}

/// <summary><c>alquimia test</c>: the data tests of the selected models, run on what is published, without building anything.</summary>
public static class ProjectTests
{
    /// <param name="runDate">run_date() in the tests' SQL; the default is today in the project's time zone.</param>
    public static TestRunReport Run(EmbeddedWarehouse warehouse, Project project, string? selector = null, TimeProvider? time = null, DateOnly? runDate = null)
    {
        time ??= TimeProvider.System;
        var models = new PipelineGraph(project).Select(selector).Levels.SelectMany(level => level).OfType<ModelNode>()
            .Where(node => node.Model.Config.Tests.Count > 0).Select(node => node.Model).ToList();
        var runId = PipelineRunner.NewRunId(time);
        using var turn = warehouse.EnterWriterAsync($"tests {runId} ({Environment.MachineName}, PID {Environment.ProcessId})").GetAwaiter().GetResult();
        StateTables.EnsureCreated(warehouse.Connection);
        ModelFunctions.DefineRunFunctions(warehouse.Connection, runDate ?? project.Settings.Today(time), time.GetUtcNow(), CancellationToken.None);
        var results = new List<ModelTestResults>();
        foreach (var model in models)
        {
            if (RelationCatalog.KindOf(warehouse.Connection, model.Name) == RelationKind.None)
            {
                results.Add(new ModelTestResults(model.Name.ToString(), [], Missing: true));
                continue;
            }

            // A test that cannot run stops its model's tests, not the others'.
            try
            {
                using var transaction = warehouse.Connection.BeginTransaction();
                var outcomes = DataTestRunner.Run(warehouse.Connection, model, runId, time.GetUtcNow());
                transaction.Commit();
                results.Add(new ModelTestResults(model.Name.ToString(), outcomes));
            }
            catch (Exception error) when (error is DuckDbEngineException or AlquimiaException)
            {
                results.Add(new ModelTestResults(model.Name.ToString(), [], Error: error.Message));
            }
        }

        return new TestRunReport(runId, results);
    }
}
