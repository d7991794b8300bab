namespace Alquimia.Tests.Engine.DuckDb.Native;

/// <summary>
/// A missing, corrupt or wrong-version libduckdb, chosen with <c>ALQUIMIA_DUCKDB_LIB</c>, makes the CLI print one clear line and
/// exit non-zero. Run in a child process: this process has already loaded the real library.
/// </summary>
public sealed class NativeLibraryTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task Cli_WithTheBuiltLibrary_OpensTheWarehouse()
    {
        var result = await CliProcess.RunSetupAsync(_directory.File("ok.duckdb"));

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("DuckDB v1.5.", result.Output, StringComparison.Ordinal);
        Assert.Equal("", result.Error);
    }

    [Fact]
    public async Task Cli_WithAMissingLibrary_PrintsOneLineNamingThePath_AndExitsNonZero()
    {
        var missing = _directory.File("nowhere/libduckdb.so");

        var result = await CliProcess.RunSetupAsync(_directory.File("missing.duckdb"), missing);

        Assert.NotEqual(0, result.ExitCode);
        var line = result.SingleErrorLine();
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains($"'{missing}'", line, StringComparison.Ordinal);
        Assert.Contains("not found", line, StringComparison.Ordinal);
        Assert.Contains("ALQUIMIA_DUCKDB_LIB", line, StringComparison.Ordinal);
        Assert.False(File.Exists(_directory.File("missing.duckdb")));
    }

    [Fact]
    public async Task Cli_WithACorruptLibrary_PrintsOneLineSayingItCouldNotBeLoaded_AndExitsNonZero()
    {
        var corrupt = _directory.File("libduckdb.so");
        await File.WriteAllTextAsync(corrupt, "this is a text file, not a shared library\n");

        var result = await CliProcess.RunSetupAsync(_directory.File("corrupt.duckdb"), corrupt);

        Assert.NotEqual(0, result.ExitCode);
        var line = result.SingleErrorLine();
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains($"'{corrupt}'", line, StringComparison.Ordinal);
        Assert.Contains("could not be loaded", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_WithALibraryOfAnotherDuckDbVersion_PrintsOneLineNamingBothVersions_AndExitsNonZero()
    {
        // A stand-in libduckdb that loads and answers duckdb_library_version, as an old DuckDB would.
        var source = _directory.File("old_duckdb.c");
        await File.WriteAllTextAsync(source, "const char *duckdb_library_version(void) { return \"v0.9.2\"; }\n");
        var old = _directory.File("old/libduckdb.so");
        Directory.CreateDirectory(Path.GetDirectoryName(old)!);
        using (var compiler = System.Diagnostics.Process.Start("cc", ["-shared", "-fPIC", "-o", old, source]))
        {
            await compiler.WaitForExitAsync();
            Assert.True(compiler.ExitCode == 0, "cc could not build the stand-in library (the dotnet machine image ships gcc).");
        }

        var result = await CliProcess.RunSetupAsync(_directory.File("old.duckdb"), old);

        Assert.NotEqual(0, result.ExitCode);
        var line = result.SingleErrorLine();
        Assert.Contains($"'{old}'", line, StringComparison.Ordinal);
        Assert.Contains("is version 0.9.2", line, StringComparison.Ordinal);
        Assert.Contains("built for DuckDB 1.5", line, StringComparison.Ordinal);
        Assert.False(File.Exists(_directory.File("old.duckdb")));
    }

    public void Dispose() => _directory.Dispose();
}
