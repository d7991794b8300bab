using System.Runtime.InteropServices;
using System.Runtime.InteropServices.Marshalling;

namespace Alquimia.Engine.DuckDb.Native;

internal static partial class NativeMethods
{
    /// <summary>Open, connect, configure, interrupt: duckdb.h "Open Connect" and "Configuration".</summary>
    internal static partial class Startup
    {
        [LibraryImport(LibraryName, EntryPoint = "duckdb_open_ext", StringMarshalling = StringMarshalling.Utf8)]
        internal static partial State OpenExt(string path, out DuckDbDatabaseHandle database, DuckDbConfigHandle config,
            [MarshalUsing(typeof(CallerOwnedStringMarshaller))] out string? error);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_close")]
        internal static partial void Close(ref nint database);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_connect")]
        internal static partial State Connect(DuckDbDatabaseHandle database, out DuckDbConnectionHandle connection);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_disconnect")]
        internal static partial void Disconnect(ref nint connection);

        // Called from another thread while a query runs; it only sets a flag, but keeps the transition for safety.
        [LibraryImport(LibraryName, EntryPoint = "duckdb_interrupt")]
        internal static partial void Interrupt(DuckDbConnectionHandle connection);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_library_version")]
        [return: MarshalUsing(typeof(DuckDbOwnedStringMarshaller))]
        internal static partial string LibraryVersion();

        [LibraryImport(LibraryName, EntryPoint = "duckdb_create_config")]
        internal static partial State CreateConfig(out DuckDbConfigHandle config);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_set_config", StringMarshalling = StringMarshalling.Utf8)]
        internal static partial State SetConfig(DuckDbConfigHandle config, string name, string option);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_destroy_config")]
        internal static partial void DestroyConfig(ref nint config);
    }
}
