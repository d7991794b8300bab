using DuckDB.NET.Native;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Orchestration;

/// <summary>Which failures are worth another attempt, and how long to wait before it.</summary>
internal static class RetryPolicy
{
    /// <summary>
    /// Failures another attempt may not meet: transaction conflicts, I/O, memory, network. Errors in the SQL or the
    /// data (parser, binder, catalog, conversion) fail the same way every time, so they are not retried.
    /// </summary>
    public static bool IsTransient(Exception error) => error switch
    {
        DuckDbEngineException duckDb => duckDb.ErrorType is DuckDBErrorType.Transaction or DuckDBErrorType.Io or DuckDBErrorType.OutOfMemory
            or DuckDBErrorType.Network or DuckDBErrorType.Http or DuckDBErrorType.Interrupt,
        IOException => true,
        _ => false,
    };

    /// <summary>The wait before retry number <paramref name="attempt"/>: the initial backoff, doubled for each earlier retry.</summary>
    public static TimeSpan Backoff(TimeSpan initial, int attempt) => initial * Math.Pow(2, attempt - 1);
}
