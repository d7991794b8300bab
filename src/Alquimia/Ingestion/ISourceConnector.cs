using Alquimia.Projects;
using Alquimia.Projects.Loading;

namespace Alquimia.Ingestion;

/// <summary>
/// One kind of source, what a source file's <c>type:</c> names: it reads its own keys of the file, lists the source's
/// tables, and opens a run's session that extracts tables into landing batches. Alquimia does the rest (publishing the
/// batch, bronze, the stored cursor, the checks) in the step's transaction. Stateless: one instance serves every source
/// of its type. Adding one is a folder under Ingestion/ and a line in <see cref="SourceConnectors"/>; see
/// docs/connectors.md.
/// </summary>
internal interface ISourceConnector
{
    /// <summary>The <c>type:</c> value, e.g. <c>postgres</c>; unique among the registered connectors.</summary>
    string Type { get; }

    /// <summary>What it can do; the loader checks source files against it.</summary>
    ConnectorTraits Traits { get; }

    /// <summary>The keys it reads from the source's mapping, beyond those every source has.</summary>
    IReadOnlyList<string> Keys { get; }

    /// <summary>
    /// Reads <see cref="Keys"/> through <paramref name="source"/>, whose reads record each problem with the file and the
    /// key's line. Never throws on bad input: a wrong value is recorded and a default returned, so that the load reports
    /// every file's problems together.
    /// </summary>
    SourceOptions ReadOptions(YamlSection source);

    /// <summary>The source's tables now, by name, for <c>tables: all</c>; only when <see cref="ConnectorTraits.ListsTables"/>.</summary>
    /// <exception cref="AlquimiaException">The source cannot be reached or read: one line naming it (never a password).</exception>
    IReadOnlyList<string> ListTables(SourceDefinition source, CancellationToken cancellationToken);

    /// <summary>A run's session with the source, opened at its first table's sync; only when <see cref="ConnectorTraits.Extracts"/>.</summary>
    /// <exception cref="AlquimiaException">The source cannot be reached: one line naming it.</exception>
    ISyncSession OpenSession(SourceDefinition source, CancellationToken cancellationToken);
}
