namespace Alquimia.Tests.Warehouse.DuckDb;

/// <summary>A fresh directory under the system's temp folder, deleted with everything in it on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("alquimia-tests-").FullName;
    }

    public string Path { get; }

    /// <summary>The full path of <paramref name="name"/> inside the directory; the file is not created.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A child process may still be letting go of a file; the OS cleans temp eventually.
        }
    }
}
