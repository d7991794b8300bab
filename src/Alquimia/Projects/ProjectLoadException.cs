namespace Alquimia.Projects;

/// <summary>
/// The project could not be loaded. Every problem found is here, each with its file and line, so the user fixes
/// them all in one pass.
/// </summary>
public sealed class ProjectLoadException : AlquimiaException
{
    public ProjectLoadException(IReadOnlyList<LoadProblem> problems)
        : base(Describe(problems))
    {
        Problems = problems;
    }

    /// <summary>The problems, in file order.</summary>
    public IReadOnlyList<LoadProblem> Problems { get; }

    private static string Describe(IReadOnlyList<LoadProblem> problems) =>
        $"The project has {problems.Count} problem{(problems.Count == 1 ? "" : "s")}:" + Environment.NewLine +
        string.Join(Environment.NewLine, problems.Select(problem => "  " + problem));
}

/// <summary>One load problem: where it is and what to do.</summary>
/// <param name="FilePath">The file, as a path relative to the project folder when inside it.</param>
/// <param name="Line">The 1-based line, or 0 when the problem concerns the whole file.</param>
public sealed record LoadProblem(string FilePath, int Line, string Message)
{
    public override string ToString() => Line > 0 ? $"{FilePath}:{Line}: {Message}" : $"{FilePath}: {Message}";
}
