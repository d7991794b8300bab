namespace Alquimia.Tests;

/// <summary>The repository the tests run from: found as the first folder above the test assembly that holds Alquimia.sln.</summary>
internal static class RepoRoot
{
    public static string Path { get; } = Find();

    /// <summary>The repository's file at <paramref name="relativePath"/> (e.g. <c>scripts/postgres.sh</c>).</summary>
    public static string File(string relativePath) => System.IO.Path.Combine(Path, relativePath);

    private static string Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (System.IO.File.Exists(System.IO.Path.Combine(folder.FullName, "Alquimia.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No Alquimia.sln above {AppContext.BaseDirectory}: the tests run from the repository's build output.");
    }
}
