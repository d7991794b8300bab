using System.Runtime.InteropServices;

namespace Alquimia.Engine.DuckDb.Native;

/// <summary>
/// DuckDB's C API (duckdb.h), one nested class per section of the header, names mapped 1:1
/// (<c>duckdb_data_chunk_get_vector</c> → <c>DataChunks.GetVector</c>).
/// </summary>
/// <remarks>
/// <c>[SuppressGCTransition]</c> is used only on calls that do a few loads or stores and never block, allocate
/// or call back (vector and chunk accessors, validity, sizes): those run per chunk on the hot read path.
/// Everything that may run a query, take a lock or allocate keeps the normal GC transition.
/// </remarks>
internal static partial class NativeMethods
{
    /// <summary>Resolved by <see cref="DuckDbNativeLibrary"/>: the pinned libduckdb.so, or ALQUIMIA_DUCKDB_LIB.</summary>
    internal const string LibraryName = "duckdb";

    /// <summary><c>duckdb_state</c>: DuckDBSuccess is 0, DuckDBError is 1.</summary>
    internal enum State
    {
        Success = 0,
        Error = 1,
    }
}
