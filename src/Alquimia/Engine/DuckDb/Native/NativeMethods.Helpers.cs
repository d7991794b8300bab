using System.Runtime.InteropServices;

namespace Alquimia.Engine.DuckDb.Native;

internal static partial class NativeMethods
{
    /// <summary>duckdb.h "Helpers".</summary>
    internal static unsafe partial class Helpers
    {
        [LibraryImport(LibraryName, EntryPoint = "duckdb_free")]
        internal static partial void Free(void* pointer);
    }
}
