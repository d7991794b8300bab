using Alquimia.Projects;
using Alquimia.Tests.Warehouse.DuckDb;

namespace Alquimia.Tests.Projects;

/// <summary>
/// A project written into a fresh temp folder, file by file, and ways to load it: as a project, or as the problems
/// the load reports. Starts with a minimal alquimia.yml unless told otherwise.
/// </summary>
internal sealed class ProjectFolder : IDisposable
{
    private readonly TempDirectory _directory = new();

    public ProjectFolder(bool withProjectFile = true)
    {
        if (withProjectFile)
        {
            Write("alquimia.yml", "name: teste\n");
        }
    }

    public string Path => _directory.Path;

    /// <summary>Writes <paramref name="text"/> to <paramref name="relativePath"/>, creating folders; returns this for chaining.</summary>
    public ProjectFolder Write(string relativePath, string text)
    {
        var path = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return this;
    }

    public Project Load() => ProjectLoader.Load(Path);

    /// <summary>The problems the load reports; fails when it succeeds.</summary>
    public IReadOnlyList<LoadProblem> Problems() => Assert.Throws<ProjectLoadException>(Load).Problems;

    /// <summary>The one problem the load reports, asserting there is exactly one, in <paramref name="file"/> at <paramref name="line"/>, saying every fragment.</summary>
    public LoadProblem SingleProblem(string file, int line, params string[] fragments)
    {
        var problems = Problems();
        var problem = Assert.Single(problems);
        AssertProblem(problem, file, line, fragments);
        return problem;
    }

    public static void AssertProblem(LoadProblem problem, string file, int line, params string[] fragments)
    {
        Assert.Equal(file, problem.FilePath);
        Assert.Equal(line, problem.Line);
        foreach (var fragment in fragments)
        {
            Assert.Contains(fragment, problem.Message, StringComparison.Ordinal);
        }
    }

    public void Dispose() => _directory.Dispose();
}
