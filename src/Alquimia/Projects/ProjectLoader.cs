using Alquimia.Graph;
using Alquimia.Ingestion;
using Alquimia.Warehouse.DuckDb;
using Alquimia.Projects.Loading;

namespace Alquimia.Projects;

/// <summary>
/// Loads a project folder (<c>alquimia.yml</c>, <c>sources/*.yml</c> or the folder its <c>sources</c> key names, <c>models/&lt;layer&gt;/**/*.sql</c>; see
/// docs/projects.md) into a validated, immutable <see cref="Project"/>. It only reads: the SQL is checked by an
/// in-memory DuckDB that never touches a file.
/// </summary>
public static class ProjectLoader
{
    /// <summary>The layer folders under <c>models/</c>, which are also the schemas.</summary>
    public static readonly IReadOnlyList<string> Layers = ["bronze", "silver", "gold", "curated"];

    /// <summary>
    /// The end of the name of a model's Databricks override, <c>&lt;model&gt;.databricks.sql</c> beside the model: Spark SQL
    /// for <c>alquimia deploy databricks</c>, never a model of its own.
    /// </summary>
    public const string DatabricksOverrideSuffix = ".databricks.sql";

    /// <summary>Loads and validates the project in <paramref name="directory"/>.</summary>
    /// <exception cref="ProjectLoadException">
    /// Anything is wrong; every problem found is listed, each with its file (relative to the project) and line.
    /// </exception>
    public static Project Load(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var root = Path.GetFullPath(directory);
        var problems = new LoadProblems(root);
        if (!Directory.Exists(root))
        {
            problems.Add(root, 0, $"The project folder {root} does not exist. `alquimia init {directory}` creates a project there.");
            problems.ThrowIfAny();
        }

        using var connection = new CheckedConnection(new DuckDbSettings());
        connection.Open();

        var settings = ProjectFileReader.Read(root, problems);
        var intervals = new IntervalChecker(connection);
        var sourceReader = new SourceFileReader(problems, new ColumnTypeChecker(connection), SourceConnectors.Default, intervals, settings.Landing, root);
        var sources = SourceFiles(settings.SourcesPath).Select(sourceReader.Read).OfType<SourceDefinition>().ToList();
        var configs = new ModelConfigReader(settings.Settings, intervals);
        var parser = new SqlReferenceExtractor(connection);
        var modelReader = new ModelFileReader(problems, configs, parser);
        var models = ModelFiles(root, problems).Select(file => modelReader.Read(file.Path, file.Layer)).ToList();

        sources = ReferencedDiscoveredTables.Add(sources, models, problems);
        ProjectValidator.Validate(sources, models, problems);
        problems.ThrowIfAny();

        var project = new Project(
            settings.Name,
            root,
            settings.WarehousePath,
            settings.LakePath,
            settings.Settings,
            sources,
            models.Select(model => model.Definition).OrderBy(model => model.Name.ToString(), StringComparer.Ordinal).ToList())
        {
            Jobs = settings.Jobs,
            Alerts = settings.Alerts,
            Serve = settings.Serve,
            Dashboard = settings.Dashboard,
        };
        CheckJobSelections(project, problems);
        AlertsReader.CheckReferences(project, problems);
        ServeReader.CheckReferences(project, parser, problems);
        DashboardReader.CheckReferences(project, problems);
        problems.ThrowIfAny();
        return project;
    }

    /// <summary>A job's <c>select</c> must select something of the pipeline, as <c>--select</c> must.</summary>
    private static void CheckJobSelections(Project project, LoadProblems problems)
    {
        if (project.Jobs.All(job => job.Selector is null))
        {
            return;
        }

        var graph = new PipelineGraph(project);
        foreach (var job in project.Jobs.Where(job => job.Selector is not null))
        {
            try
            {
                graph.Select(job.Selector);
            }
            catch (SelectorException error)
            {
                problems.Add(ProjectFileReader.FileName, job.Line, $"The selection '{job.Selector}' of job '{job.Name}' selects nothing: {error.Message}");
            }
        }
    }

    private static IEnumerable<string> SourceFiles(string folder)
    {
        return Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*.yml").Concat(Directory.EnumerateFiles(folder, "*.yaml")).Order(StringComparer.Ordinal)
            : [];
    }

    private static bool IsDatabricksOverride(string path) => path.EndsWith(DatabricksOverrideSuffix, StringComparison.OrdinalIgnoreCase);

    private static List<(string Path, string Layer)> ModelFiles(string root, LoadProblems problems)
    {
        var folder = Path.Combine(root, "models");
        var files = new List<(string, string)>();
        if (!Directory.Exists(folder))
        {
            return files;
        }

        foreach (var stray in Directory.EnumerateFiles(folder, "*.sql").Order(StringComparer.Ordinal))
        {
            problems.Add(stray, 0, $"A model lives in a layer folder, and this one is directly in models/. Move it to models/<layer>/, with layer one of: {string.Join(", ", Layers)}.");
        }

        foreach (var layerFolder in Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal))
        {
            var layer = Path.GetFileName(layerFolder);
            if (!Layers.Contains(layer))
            {
                problems.Add(layerFolder, 0, $"'{layer}' is not a layer; the folders under models/ are {string.Join(", ", Layers)}.{Suggestions.DidYouMean(layer, Layers)}");
                continue;
            }

            var sqlFiles = Directory.EnumerateFiles(layerFolder, "*.sql", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
            foreach (var orphan in sqlFiles.Where(path => IsDatabricksOverride(path) && !File.Exists(path[..^DatabricksOverrideSuffix.Length] + ".sql")))
            {
                var model = Path.GetFileName(orphan)[..^DatabricksOverrideSuffix.Length];
                problems.Add(orphan, 0,
                    $"{Path.GetFileName(orphan)} overrides {layer}.{model} on Databricks, but there is no models/{Path.GetRelativePath(folder, orphan)[..^DatabricksOverrideSuffix.Length].Replace('\\', '/')}.sql beside it. "
                    + "Rename it after the model it replaces the SELECT of, or delete it.");
            }

            files.AddRange(sqlFiles.Where(path => !IsDatabricksOverride(path)).Select(path => (path, layer)));
        }

        return files;
    }
}
