using Alquimia.Projects;
using Alquimia.Projects.Loading;

namespace Alquimia.Ingestion.Files;

/// <summary>
/// A <c>files</c> source: another tool drops the files into the table's landing folder, and each sync loads the new
/// ones. Nothing is extracted, so there is no session and no cursor: each file is loaded once, whatever its rows.
/// </summary>
internal sealed class FilesConnector : ISourceConnector
{
    public string Type => "files";

    public ConnectorTraits Traits { get; } = new(Extracts: false, ListsTables: false, Incremental: false, Format: null);

    public IReadOnlyList<string> Keys { get; } = Projects.Loading.FileReadingReader.SourceKeys;

    public SourceOptions ReadOptions(YamlSection source) => SourceOptions.None;

    public IReadOnlyList<string> ListTables(SourceDefinition source, CancellationToken cancellationToken) =>
        throw new NotSupportedException("A files source cannot list its tables: check Traits.ListsTables first.");

    public ISyncSession OpenSession(SourceDefinition source, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Another tool lands a files source's files: check Traits.Extracts first.");
}
