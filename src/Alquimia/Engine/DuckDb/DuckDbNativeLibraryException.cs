namespace Alquimia.Engine.DuckDb;

/// <summary>DuckDB's native library is missing, cannot be loaded, or is not the version Alquimia is built for.</summary>
public sealed class DuckDbNativeLibraryException : AlquimiaException
{
    public DuckDbNativeLibraryException(string message, string libraryPath, Exception? innerException = null)
        : base(message, innerException)
    {
        LibraryPath = libraryPath;
    }

    /// <summary>The file that was looked for or loaded.</summary>
    public string LibraryPath { get; }
}
