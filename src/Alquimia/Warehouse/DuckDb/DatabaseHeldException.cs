using DuckDB.NET.Native;

namespace Alquimia.Warehouse.DuckDb;

/// <summary>A database file another process holds for writing: only one process may open a DuckDB file to write it.</summary>
public sealed class DatabaseHeldException : DuckDbEngineException
{
    public DatabaseHeldException(string path, string holder, int? processId, string duckDbMessage)
        : base(
            $"The database file '{path}' is held by another process ({holder}). Only one process may open a DuckDB file for writing: "
            + $"stop that process, or wait for it to finish, and try again. DuckDB said: {duckDbMessage}",
            DuckDBErrorType.Io)
    {
        Path = path;
        ProcessId = processId;
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>The id of the process holding the file, when DuckDB named it.</summary>
    public int? ProcessId { get; }
}
