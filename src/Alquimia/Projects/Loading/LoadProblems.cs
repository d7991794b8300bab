namespace Alquimia.Projects.Loading;

/// <summary>
/// The problems found while loading one project, gathered so that every one is reported together. Paths are kept
/// relative to the project folder, with forward slashes.
/// </summary>
internal sealed class LoadProblems
{
    private readonly List<LoadProblem> _problems = [];

    public LoadProblems(string projectDirectory)
    {
        ProjectDirectory = projectDirectory;
    }

    /// <summary>The project folder, absolute.</summary>
    public string ProjectDirectory { get; }

    public bool Any => _problems.Count > 0;

    /// <summary>Records a problem in <paramref name="filePath"/> (absolute or relative) at a 1-based line, or 0 for the whole file.</summary>
    public void Add(string filePath, int line, string message) => _problems.Add(new LoadProblem(Relative(filePath), line, message));

    /// <summary><paramref name="filePath"/> relative to the project folder when inside it, with forward slashes.</summary>
    public string Relative(string filePath)
    {
        var relative = Path.IsPathRooted(filePath) ? Path.GetRelativePath(ProjectDirectory, filePath) : filePath;
        return relative.Replace('\\', '/');
    }

    /// <summary>Throws the <see cref="ProjectLoadException"/> that lists every problem, in file and line order, if there is any.</summary>
    public void ThrowIfAny()
    {
        if (_problems.Count > 0)
        {
            var ordered = _problems
                .OrderBy(problem => problem.FilePath, StringComparer.Ordinal)
                .ThenBy(problem => problem.Line)
                .ToList();
            throw new ProjectLoadException(ordered);
        }
    }
}
