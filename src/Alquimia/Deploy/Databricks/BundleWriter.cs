using Alquimia.Projects;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Deploy.Databricks;

/// <summary>What <see cref="BundleWriter.Write"/> wrote.</summary>
/// <param name="Directory">The bundle's folder, absolute.</param>
/// <param name="DefaultTarget">The target <c>databricks bundle</c> uses without <c>-t</c>.</param>
/// <param name="Jobs">The jobs, with their tasks.</param>
/// <param name="Files">Every file written, relative to <paramref name="Directory"/>, with forward slashes, sorted.</param>
/// <param name="Sources">Each source table's task: the bronze table and the folder its files are read from.</param>
public sealed record WrittenBundle(
    string Directory, string DefaultTarget, IReadOnlyList<BundleJob> Jobs, IReadOnlyList<string> Files, IReadOnlyList<(QualifiedName Bronze, string Folder, string Type)> Sources)
{
    /// <summary>The project's jobs left out of the bundle: they only sync sources that land without loading (<c>bronze: false</c>), whose syncs are Alquimia's own.</summary>
    public IReadOnlyList<string> JobsLeftOut { get; init; } = [];
}

/// <summary>
/// Writes a project's Databricks Asset Bundle: <c>databricks.yml</c>, one <c>resources/&lt;job&gt;.job.yml</c> per job,
/// one <c>resources/&lt;layer__model&gt;.pipeline.yml</c> per apply_changes model, and the SQL file of every task. Every problem of every model and source is found first; if there is any, nothing is
/// written and they are reported together. The bundle is written beside the out folder and then put in its place, so
/// a failed deploy never leaves half a bundle.
/// </summary>
public static class BundleWriter
{
    /// <summary>The first line of every <c>databricks.yml</c> the deploy writes: an out folder holding another is not ours to replace.</summary>
    public const string HeaderStart = "# Written by `alquimia deploy databricks`";

    /// <summary>Writes the bundle of <paramref name="project"/> into <paramref name="outDirectory"/>, replacing the bundle there.</summary>
    /// <param name="defaultTarget"><c>dev</c> (the default) or <c>prod</c>.</param>
    /// <exception cref="BundleNotWrittenException">A model or source has no Databricks form, or the out folder is not a bundle the deploy wrote.</exception>
    public static WrittenBundle Write(Project project, string outDirectory, string defaultTarget = "dev")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outDirectory);
        if (!BundleFiles.Targets.Contains(defaultTarget))
        {
            throw new ArgumentOutOfRangeException(nameof(defaultTarget), defaultTarget, $"The target is one of {string.Join(", ", BundleFiles.Targets)}.");
        }

        var target = Path.GetFullPath(outDirectory);
        CheckReplaceable(target);
        var (jobs, files, sources) = Contents(project, defaultTarget);
        Replace(target, files);
        return new WrittenBundle(target, defaultTarget, [.. jobs.Where(job => job.Tasks.Count > 0)], [.. files.Keys.Order(StringComparer.Ordinal)], sources)
        {
            JobsLeftOut = [.. jobs.Where(job => job.Tasks.Count == 0).Select(job => job.Name)],
        };
    }

    /// <summary>Every file of the bundle by its relative path, or every problem found.</summary>
    private static (IReadOnlyList<BundleJob> Jobs, Dictionary<string, string> Files, List<(QualifiedName, string, string)> Sources) Contents(Project project, string defaultTarget)
    {
        var problems = new List<string>();
        IReadOnlyList<BundleJob> jobs = [];
        try
        {
            jobs = BundleJobs.Of(project);
        }
        catch (AlquimiaException error)
        {
            problems.Add(error.Message);
        }

        // The relations as DuckDB binds them, empty: what a MERGE or an expectation needs, and the semantic check.
        var shape = ProjectShape.Of(project);
        problems.AddRange(shape.Problems);
        var files = new Dictionary<string, string>(StringComparer.Ordinal) { ["databricks.yml"] = BundleFiles.BundleFile(project, defaultTarget) };
        var sources = new List<(QualifiedName, string, string)>();
        using var connection = new CheckedConnection(new DuckDbSettings());
        connection.Open();
        var tasks = new TaskFiles(project, new SparkSqlPrinter(connection), shape);
        foreach (var job in jobs.Where(job => job.Tasks.Count > 0))
        {
            files[$"resources/{job.Name}.job.yml"] = BundleFiles.JobFile(project, job);
            // A step the shape lacks has its problem listed already: its statements would only repeat it.
            foreach (var task in job.Tasks.Where(task => !files.ContainsKey(task.SqlFile) && shape.Knows(task.Step)))
            {
                try
                {
                    files[task.SqlFile] = tasks.Text(task);
                    if (task.Pipeline is { } pipeline)
                    {
                        files[$"resources/{pipeline}.pipeline.yml"] = BundleFiles.PipelineFile(project, task);
                    }

                    if (project.SourceTables.FirstOrDefault(pair => pair.Table.BronzeName == task.Step) is ({ } source, { } table))
                    {
                        sources.Add((task.Step, SourceStatements.Folder(source, table), source.Type));
                    }
                }
                catch (AlquimiaException error)
                {
                    problems.Add(error.Message);
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new BundleNotWrittenException(problems.Distinct(StringComparer.Ordinal).ToList());
        }

        return (jobs, files, sources);
    }

    /// <summary>The out folder may be absent, empty, or a bundle the deploy wrote before; anything else is someone's work.</summary>
    private static void CheckReplaceable(string target)
    {
        if (File.Exists(target))
        {
            throw new BundleNotWrittenException([$"{target} is a file. Give --out a folder: a new one, or one the deploy wrote before."]);
        }

        if (!Directory.Exists(target) || !Directory.EnumerateFileSystemEntries(target).Any())
        {
            return;
        }

        var bundle = Path.Combine(target, "databricks.yml");
        if (!File.Exists(bundle) || !File.ReadLines(bundle).FirstOrDefault("").StartsWith(HeaderStart, StringComparison.Ordinal))
        {
            throw new BundleNotWrittenException(
                [$"{target} holds files that alquimia deploy databricks did not write (its databricks.yml, if any, lacks the deploy's header), and the deploy replaces the whole folder. Choose a new or empty folder for --out."]);
        }
    }

    /// <summary>
    /// Writes the files into a new folder beside <paramref name="target"/>, then swaps it in: the old bundle is moved
    /// aside, the new one renamed into place, the old one deleted. Either rename leaves a whole bundle somewhere.
    /// </summary>
    private static void Replace(string target, Dictionary<string, string> files)
    {
        var parent = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(parent);
        var name = Path.GetFileName(target);
        var staging = Path.Combine(parent, $".{name}.alquimia-{Path.GetRandomFileName()}");
        try
        {
            foreach (var (path, content) in files)
            {
                var file = Path.Combine(staging, path);
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                File.WriteAllText(file, content);
            }

            if (!Directory.Exists(target))
            {
                Directory.Move(staging, target);
                return;
            }

            var old = Path.Combine(parent, $".{name}.alquimia-old-{Path.GetRandomFileName()}");
            Directory.Move(target, old);
            Directory.Move(staging, target);
            Directory.Delete(old, recursive: true);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }
}

/// <summary>The deploy wrote nothing: every reason, each naming the model or source, what and the fix.</summary>
public sealed class BundleNotWrittenException(IReadOnlyList<string> problems)
    : AlquimiaException($"The Databricks bundle was not written ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}):\n"
        + string.Join("\n", problems.Select(problem => "  - " + problem)))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
