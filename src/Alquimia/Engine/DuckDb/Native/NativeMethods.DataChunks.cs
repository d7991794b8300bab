using System.Runtime.InteropServices;

namespace Alquimia.Engine.DuckDb.Native;

internal static partial class NativeMethods
{
    /// <summary>duckdb.h "Data Chunk Interface".</summary>
    internal static unsafe partial class DataChunks
    {
        [LibraryImport(LibraryName, EntryPoint = "duckdb_create_data_chunk")]
        internal static partial DuckDbDataChunkHandle Create(nint* types, ulong columnCount);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_destroy_data_chunk")]
        internal static partial void Destroy(ref nint chunk);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_data_chunk_reset")]
        internal static partial void Reset(DuckDbDataChunkHandle chunk);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_data_chunk_get_vector")]
        [SuppressGCTransition] // returns a pointer into the chunk
        internal static partial nint GetVector(DuckDbDataChunkHandle chunk, ulong column);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_data_chunk_get_size")]
        [SuppressGCTransition] // reads a field
        internal static partial ulong GetSize(DuckDbDataChunkHandle chunk);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_data_chunk_set_size")]
        [SuppressGCTransition] // writes a field
        internal static partial void SetSize(DuckDbDataChunkHandle chunk, ulong size);
    }
}
