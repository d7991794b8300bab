using System.Runtime.InteropServices;
using System.Runtime.InteropServices.Marshalling;

namespace Alquimia.Engine.DuckDb.Native;

internal static partial class NativeMethods
{
    /// <summary>duckdb.h "Error Data".</summary>
    internal static partial class Errors
    {
        [LibraryImport(LibraryName, EntryPoint = "duckdb_error_data_has_error")]
        [return: MarshalAs(UnmanagedType.U1)]
        internal static partial bool HasError(DuckDbErrorDataHandle errorData);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_error_data_error_type")]
        internal static partial DuckDbErrorType ErrorType(DuckDbErrorDataHandle errorData);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_error_data_message")]
        [return: MarshalUsing(typeof(DuckDbOwnedStringMarshaller))]
        internal static partial string? Message(DuckDbErrorDataHandle errorData);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_destroy_error_data")]
        internal static partial void Destroy(ref nint errorData);
    }
}
