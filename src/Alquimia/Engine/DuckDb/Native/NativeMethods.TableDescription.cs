using System.Runtime.InteropServices;
using System.Runtime.InteropServices.Marshalling;

namespace Alquimia.Engine.DuckDb.Native;

internal static partial class NativeMethods
{
    /// <summary>
    /// duckdb.h "Table Description": a table's columns, read from the catalog without running a query, so an open
    /// streaming result on the same connection is left alone.
    /// </summary>
    internal static partial class TableDescription
    {
        /// <summary>Sets <paramref name="description"/> even when it fails: dispose it either way.</summary>
        [LibraryImport(LibraryName, EntryPoint = "duckdb_table_description_create", StringMarshalling = StringMarshalling.Utf8)]
        internal static partial State Create(DuckDbConnectionHandle connection, string? schema, string table, out DuckDbTableDescriptionHandle description);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_table_description_destroy")]
        internal static partial void Destroy(ref nint description);

        /// <summary>The last error, or null; it lives as long as the description.</summary>
        [LibraryImport(LibraryName, EntryPoint = "duckdb_table_description_error")]
        [return: MarshalUsing(typeof(DuckDbOwnedStringMarshaller))]
        internal static partial string? Error(DuckDbTableDescriptionHandle description);

        /// <summary>Every column, generated ones included (the appender's columns leave those out).</summary>
        [LibraryImport(LibraryName, EntryPoint = "duckdb_table_description_get_column_count")]
        internal static partial ulong GetColumnCount(DuckDbTableDescriptionHandle description);

        /// <summary>Null when the index is out of range.</summary>
        [LibraryImport(LibraryName, EntryPoint = "duckdb_table_description_get_column_name")]
        [return: MarshalUsing(typeof(CallerOwnedStringMarshaller))]
        internal static partial string? GetColumnName(DuckDbTableDescriptionHandle description, ulong index);
    }
}
