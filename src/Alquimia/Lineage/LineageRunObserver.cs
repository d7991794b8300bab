using System.Text.Json.Nodes;
using Alquimia.Ingestion.Landing;
using Alquimia.Orchestration;
using Alquimia.Projects;
using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;
using Microsoft.Extensions.Logging;

namespace Alquimia.Lineage;

/// <summary>
/// Emits a run's OpenLineage events as it goes, hearing the run as one of its observers: START when an attempt of a step starts; COMPLETE (with the schema of the inputs and of the output
/// as committed, read from the warehouse, and the output's column lineage), FAIL or ABORT when it ends. A step that
/// never started (skipped, cancelled before its turn) had no run, and has no event. Building an event never fails a
/// step: a failure is logged and the event left out.
/// </summary>
internal sealed class LineageRunObserver : IRunObserver, IAsyncDisposable
{
    private readonly Project _project;
    private readonly EmbeddedWarehouse _warehouse;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly OpenLineageEvents _events;
    private readonly LineageEmitter _emitter;
    private readonly Lazy<ProjectLineage> _planned;
    private readonly Lock _analysis = new();
    private CheckedConnection? _parser;
    private ColumnLineageAnalyzer? _analyzer;

    private LineageRunObserver(Project project, LineageSettings settings, EmbeddedWarehouse warehouse, RunRecord run, TimeProvider time, ILogger logger)
    {
        _project = project;
        _warehouse = warehouse;
        _time = time;
        _logger = logger;
        _events = new OpenLineageEvents(project, run);
        _emitter = new LineageEmitter(settings, run.RunId, time, logger);
        _planned = new Lazy<ProjectLineage>(() => ProjectLineage.Build(project, ColumnNames));
    }

    /// <summary>The observer emitting <paramref name="run"/>'s events, or null when the project sends none.</summary>
    public static LineageRunObserver? For(Project project, EmbeddedWarehouse warehouse, RunRecord run, TimeProvider time, ILogger logger) =>
        project.Settings.Lineage is { } settings ? new LineageRunObserver(project, settings, warehouse, run, time, logger) : null;

    public void StepStarted(string stepName, int attempt)
    {
        Emit(stepName, () => Event("START", _time.GetUtcNow(), stepName, attempt, completed: null));
    }

    public void StepFinished(ModelRunRecord record, bool willRetry)
    {
        var eventType = record.Status switch
        {
            RunStatus.Succeeded or RunStatus.Warning => "COMPLETE",
            RunStatus.Cancelled => "ABORT",
            _ => "FAIL",
        };
        if (record.Attempt > 0)
        {
            Emit(record.Model, () => Event(eventType, record.FinishedAt, record.Model, record.Attempt, record));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _emitter.DisposeAsync().ConfigureAwait(false);
        _parser?.Dispose();
    }

    private void Emit(string step, Func<JsonObject?> make)
    {
        try
        {
            if (make() is { } made)
            {
                _emitter.Emit(made.ToJsonString());
            }
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            LogMessages.LineageEventFailed(_logger, step, error.Message, error);
        }
    }

    /// <summary>An event of a step's attempt; <paramref name="completed"/> is its record when it ended.</summary>
    private JsonObject? Event(string eventType, DateTimeOffset time, string step, int attempt, ModelRunRecord? completed)
    {
        if (QualifiedName.TryParse(step) is not { } output)
        {
            return null;
        }

        var succeeded = completed is { Status: RunStatus.Succeeded or RunStatus.Warning };
        var runFacets = completed is { Status: RunStatus.Failed, Error: { } error } ? OpenLineageEvents.ErrorFacets(error) : null;
        if (_project.FindModel(output) is { } model)
        {
            JsonArray inputs = [.. model.References.Select(input => (JsonNode)_events.Dataset(input, succeeded ? Schema(input, []) : null))];
            var outputDataset = _events.Dataset(output, succeeded ? ModelFacets(model) : null);
            if (succeeded)
            {
                outputDataset["outputFacets"] = new JsonObject { ["outputStatistics"] = OpenLineageEvents.OutputStatisticsFacet(completed!.RowsInserted + completed.RowsUpdated) };
            }

            return _events.RunEvent(eventType, time, step, attempt, inputs, [outputDataset], OpenLineageEvents.JobFacets("MODEL", model.Sql), runFacets);
        }

        if (_project.SourceTables.FirstOrDefault(pair => pair.Table.BronzeName == output) is { Source: { } source, Table: { } table })
        {
            var landing = LandingFiles.Root(_project, source, table).Replace('\\', '/');
            if (!source.LoadsBronze)
            {
                // bronze: false: the sync's output is the landing, and nothing is read from it.
                return _events.RunEvent(eventType, time, step, attempt, [], [OpenLineageEvents.Dataset("file", landing)], OpenLineageEvents.JobFacets("INGESTION", null), runFacets);
            }

            var outputDataset = _events.Dataset(output, succeeded ? IngestionFacets(output, landing) : null);
            return _events.RunEvent(eventType, time, step, attempt, [OpenLineageEvents.Dataset("file", landing)], [outputDataset], OpenLineageEvents.JobFacets("INGESTION", null), runFacets);
        }

        return null;
    }

    /// <summary>The model's output as committed: its schema and its column lineage, with the warehouse's catalog resolving <c>*</c>.</summary>
    private JsonObject ModelFacets(ModelDefinition model)
    {
        ModelLineage lineage;
        lock (_analysis)
        {
            if (_analyzer is null)
            {
                _parser = new CheckedConnection(new DuckDbSettings());
                _parser.Open();
                _analyzer = new ColumnLineageAnalyzer(_parser);
            }

            lineage = _analyzer.Analyze(model.Name, model.Sql, name => ColumnNames(name) ?? _planned.Value.ColumnsOf(name));
        }

        var facets = Schema(model.Name, model.Config.Columns);
        // An apply_changes model does not write its feed's except_columns (the operation, the sequence).
        var notWritten = model.Config.ApplyChanges?.ExceptColumns ?? [];
        facets["columnLineage"] = OpenLineageEvents.ColumnLineageFacet(
            lineage.Columns.Where(column => !notWritten.Contains(column.Column, StringComparer.OrdinalIgnoreCase))
                .Select(column => (column.Column, (IReadOnlyList<OpenLineageEvents.InputField>)_events.InputFields(column.Sources))),
            _events.InputFields(lineage.Dataset));
        return facets;
    }

    /// <summary>A bronze table as committed: its schema, each column but bronze's own taken as it is from the landing files.</summary>
    private JsonObject IngestionFacets(QualifiedName bronze, string landing)
    {
        var facets = Schema(bronze, []);
        var added = LandingLoader.MetadataColumns.Select(column => column.Name).Append(BronzeSchema.RescuedData).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var fields = (ColumnNames(bronze) ?? []).Where(column => !added.Contains(column))
            .Select(column => (column, (IReadOnlyList<OpenLineageEvents.InputField>)[new OpenLineageEvents.InputField("file", landing, column, [ColumnTransformation.Identity])]));
        facets["columnLineage"] = OpenLineageEvents.ColumnLineageFacet(fields, []);
        return facets;
    }

    private JsonObject Schema(QualifiedName table, IReadOnlyList<ColumnDescription> descriptions)
    {
        var columns = _warehouse.Read(connection => RelationCatalog.Columns(connection, table));
        return columns.Count == 0 ? [] : new JsonObject { ["schema"] = OpenLineageEvents.SchemaFacet(columns, descriptions) };
    }

    private IReadOnlyList<string>? ColumnNames(QualifiedName table) =>
        _warehouse.Read(connection => RelationCatalog.Columns(connection, table)) is { Count: > 0 } columns ? [.. columns.Select(column => column.Name)] : null;
}
