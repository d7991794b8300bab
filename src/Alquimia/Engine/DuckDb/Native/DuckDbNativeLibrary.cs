using System.Reflection;
using System.Runtime.InteropServices;

namespace Alquimia.Engine.DuckDb.Native;

/// <summary>
/// Finds and loads libduckdb: the path in <c>ALQUIMIA_DUCKDB_LIB</c> if set, else the pinned copy the build puts
/// beside our assemblies. It checks the library's own version before the first call, so that a missing, corrupt
/// or wrong-version library is one clear message instead of a DllNotFoundException or a crash deep in a query.
/// </summary>
internal static class DuckDbNativeLibrary
{
    /// <summary>Overrides the library's location.</summary>
    public const string PathVariable = "ALQUIMIA_DUCKDB_LIB";

    private const string FileName = "libduckdb.so";

    private static readonly Lazy<nint> Handle = new(LoadAndCheck, LazyThreadSafetyMode.ExecutionAndPublication);

    // Registered when the assembly loads, so no P/Invoke can reach the runtime's default probing first.
#pragma warning disable CA2255 // A library module initializer is the point here: it must precede any call into DuckDB.
    [System.Runtime.CompilerServices.ModuleInitializer]
#pragma warning restore CA2255
    internal static void RegisterResolver() =>
        NativeLibrary.SetDllImportResolver(typeof(DuckDbNativeLibrary).Assembly, Resolve);

    /// <summary>The DuckDB version this build pins, e.g. <c>1.5.6</c>; only the major and minor must match.</summary>
    public static string ExpectedVersion { get; } =
        typeof(DuckDbNativeLibrary).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .First(attribute => attribute.Key == "DuckDbLibraryVersion").Value!;

    /// <summary>Where the library is looked for.</summary>
    public static string LibraryPath =>
        Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(AppContext.BaseDirectory, FileName);

    /// <summary>Loads and checks the library once per process; throws the same clear error every time it cannot.</summary>
    /// <exception cref="DuckDbNativeLibraryException">The library is missing, unloadable, or of another version.</exception>
    public static void EnsureLoaded() => _ = Handle.Value;

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == NativeMethods.LibraryName ? Handle.Value : 0;

    private static nint LoadAndCheck()
    {
        var path = LibraryPath;
        var fix = Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 }
            ? $"Point {PathVariable} at a libduckdb.so of DuckDB {ExpectedVersion}, or unset it to use the one the build fetches."
            : $"Run 'dotnet build' to fetch it (needs npm), or set {PathVariable} to a libduckdb.so of DuckDB {ExpectedVersion}.";

        if (!File.Exists(path))
        {
            throw new DuckDbNativeLibraryException($"DuckDB's native library was not found at '{path}'. {fix}", path);
        }

        if (!NativeLibrary.TryLoad(path, out var handle))
        {
            throw new DuckDbNativeLibraryException(
                $"DuckDB's native library at '{path}' could not be loaded: the file is corrupt, truncated or not a Linux x64 shared library. "
                + (Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 }
                    ? fix
                    : $"Delete the 'artifacts/duckdb' folder and run 'dotnet build' again to fetch it anew, or set {PathVariable}."),
                path);
        }

        var version = ReadVersion(handle, path);
        if (!SameMajorMinor(version, ExpectedVersion))
        {
            NativeLibrary.Free(handle);
            throw new DuckDbNativeLibraryException(
                $"DuckDB's native library at '{path}' is version {version}, but Alquimia is built for DuckDB {ExpectedVersion}. {fix}", path);
        }

        return handle;
    }

    private static unsafe string ReadVersion(nint handle, string path)
    {
        if (!NativeLibrary.TryGetExport(handle, "duckdb_library_version", out var export))
        {
            throw new DuckDbNativeLibraryException(
                $"The library at '{path}' does not export duckdb_library_version: it is not DuckDB's C library.", path);
        }

        var version = Marshal.PtrToStringUTF8(((delegate* unmanaged<nint>)export)()) ?? "";
        return version.TrimStart('v');
    }

    private static bool SameMajorMinor(string actual, string expected)
    {
        static string MajorMinor(string version) => string.Join('.', version.Split('.').Take(2));
        return MajorMinor(actual) == MajorMinor(expected);
    }
}
