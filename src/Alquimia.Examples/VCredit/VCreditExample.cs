namespace Alquimia.Examples.VCredit;

/// <summary>
/// The V-Credit example project (examples/vcredit: alquimia.yml, sources and models), embedded in the library so the
/// CLI can write it into any folder. Its landing data comes from <see cref="VCreditGenerator"/>.
/// </summary>
public static class VCreditExample
{
    private static readonly EmbeddedProject Project = new("vcredit");

    /// <summary>The project's files, as paths relative to the project folder with '/' separators, sorted.</summary>
    public static IReadOnlyList<string> Files { get; } = Project.Files;

    /// <summary>
    /// Writes the project's files under <paramref name="directory"/>, creating folders as needed. A file that already
    /// exists is left as it is unless <paramref name="overwrite"/> is true.
    /// </summary>
    /// <returns>The full paths of the files written, in the order of <see cref="Files"/>.</returns>
    public static IReadOnlyList<string> WriteProjectTo(string directory, bool overwrite = false) => Project.WriteTo(directory, overwrite);

    /// <summary>The text of one of the project's <see cref="Files"/>, e.g. <c>models/gold/ft_atendimento_geral.sql</c>.</summary>
    public static string ReadFile(string relativePath) => Project.Read(relativePath);
}
