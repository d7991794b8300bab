using System.Runtime.InteropServices;

namespace Alquimia.Engine.DuckDb.Native;

internal static partial class NativeMethods
{
    /// <summary>duckdb.h "Vector Interface". Vectors are borrowed from their chunk: never destroyed by us.</summary>
    internal static unsafe partial class Vectors
    {
        [LibraryImport(LibraryName, EntryPoint = "duckdb_vector_size")]
        [SuppressGCTransition] // returns a constant
        internal static partial ulong VectorSize();

        [LibraryImport(LibraryName, EntryPoint = "duckdb_vector_get_data")]
        [SuppressGCTransition] // returns a pointer
        internal static partial void* GetData(nint vector);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_vector_get_validity")]
        [SuppressGCTransition] // returns a pointer, or null when every row is valid
        internal static partial ulong* GetValidity(nint vector);

        // Allocates the mask on first use: keeps the GC transition.
        [LibraryImport(LibraryName, EntryPoint = "duckdb_vector_ensure_validity_writable")]
        internal static partial void EnsureValidityWritable(nint vector);

        // Copies into the vector's string heap, which may allocate: keeps the GC transition. The "unsafe" variant skips
        // the UTF-8 check, which the safe one answers by silently storing NULL; our bytes come from Encoding.UTF8,
        // which always writes valid UTF-8, or are a BLOB's.
        [LibraryImport(LibraryName, EntryPoint = "duckdb_unsafe_vector_assign_string_element_len")]
        internal static partial void UnsafeAssignStringElementLength(nint vector, ulong index, byte* value, ulong length);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_list_vector_get_child")]
        [SuppressGCTransition] // returns a pointer
        internal static partial nint ListVectorGetChild(nint vector);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_struct_vector_get_child")]
        [SuppressGCTransition] // returns a pointer
        internal static partial nint StructVectorGetChild(nint vector, ulong index);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_array_vector_get_child")]
        [SuppressGCTransition] // returns a pointer
        internal static partial nint ArrayVectorGetChild(nint vector);
    }
}
