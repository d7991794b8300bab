using System.Runtime.InteropServices.Marshalling;

namespace Alquimia.Engine.DuckDb.Native;

/// <summary>A UTF-8 string that DuckDB owns (error messages, column names): read it, never free it.</summary>
[CustomMarshaller(typeof(string), MarshalMode.ManagedToUnmanagedOut, typeof(DuckDbOwnedStringMarshaller))]
internal static unsafe class DuckDbOwnedStringMarshaller
{
    public static string? ConvertToManaged(byte* unmanaged) => Utf8StringMarshaller.ConvertToManaged(unmanaged);
}

/// <summary>A UTF-8 string that DuckDB allocated for us (enum values, struct names): read it, then <c>duckdb_free</c> it.</summary>
[CustomMarshaller(typeof(string), MarshalMode.ManagedToUnmanagedOut, typeof(CallerOwnedStringMarshaller))]
internal static unsafe class CallerOwnedStringMarshaller
{
    public static string? ConvertToManaged(byte* unmanaged) => Utf8StringMarshaller.ConvertToManaged(unmanaged);

    public static void Free(byte* unmanaged)
    {
        if (unmanaged != null)
        {
            NativeMethods.Helpers.Free(unmanaged);
        }
    }
}
