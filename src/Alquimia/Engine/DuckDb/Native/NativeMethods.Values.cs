using System.Runtime.InteropServices;

namespace Alquimia.Engine.DuckDb.Native;

internal static partial class NativeMethods
{
    /// <summary>duckdb.h "Value Interface": only for the parameter types that have no bind function of their own.</summary>
    internal static partial class Values
    {
        [LibraryImport(LibraryName, EntryPoint = "duckdb_create_uuid")]
        internal static partial DuckDbValueHandle CreateUuid(DuckDbUHugeInt value);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_destroy_value")]
        internal static partial void DestroyValue(ref nint value);
    }
}
