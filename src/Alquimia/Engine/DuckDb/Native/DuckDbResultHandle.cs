using System.Runtime.InteropServices;

namespace Alquimia.Engine.DuckDb.Native;

/// <summary>
/// A <c>duckdb_result</c>. The C API hands results back by value into memory the caller provides, and later
/// takes them by pointer or by value; so the struct lives in native memory we allocate, at a stable address,
/// and release frees what DuckDB put in it and then the memory itself.
/// </summary>
internal sealed unsafe class DuckDbResultHandle : DuckDbHandle
{
    public DuckDbResultHandle()
    {
        SetHandle((nint)NativeMemory.AllocZeroed((nuint)sizeof(DuckDbResultStruct)));
    }

    /// <summary>Where DuckDB writes and reads the result.</summary>
    public DuckDbResultStruct* Pointer => (DuckDbResultStruct*)handle;

    /// <summary>The struct by value, for the functions that take it so (<c>duckdb_fetch_chunk</c>).</summary>
    public DuckDbResultStruct Value => *(DuckDbResultStruct*)handle;

    protected override bool ReleaseHandle()
    {
        // Destroying a zeroed result (a failed call that wrote nothing) is a no-op in DuckDB.
        NativeMethods.Query.DestroyResult((DuckDbResultStruct*)handle);
        NativeMemory.Free((void*)handle);
        return true;
    }
}
