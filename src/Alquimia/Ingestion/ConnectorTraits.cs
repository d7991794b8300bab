using Alquimia.Projects;

namespace Alquimia.Ingestion;

/// <summary>What a connector can do.</summary>
/// <param name="Extracts">Alquimia extracts the tables; false when another tool drops the files (a <c>files</c> source).</param>
/// <param name="ListsTables">It can list the source's tables, so <c>tables: all</c> is allowed.</param>
/// <param name="Incremental">A table may be <c>mode: incremental</c> with a <c>cursor</c>.</param>
/// <param name="Format">The format its batches land in; null when the source file says (<c>format:</c>).</param>
internal sealed record ConnectorTraits(bool Extracts, bool ListsTables, bool Incremental, LandingFormat? Format);
