using Alquimia.Projects;

namespace Alquimia.Ingestion;

/// <summary>What a connector can do.</summary>
/// <param name="Extracts">Alquimia extracts the tables; false when another tool drops the files (a <c>files</c> source).</param>
/// <param name="ListsTables">It can list the source's tables, so <c>tables: all</c> is allowed.</param>
/// <param name="Incremental">A table may be <c>mode: incremental</c> with a <c>cursor</c>.</param>
/// <param name="Format">The format its batches land in; null when the source file says (<c>format:</c>).</param>
/// <param name="ChangeLog">
/// Each sync lands the changes since the last one, read from the source's change log, into a bronze change feed (a
/// CDC source): its tables have no <c>mode</c>, and a sync with nothing new is normal.
/// </param>
internal sealed record ConnectorTraits(bool Extracts, bool ListsTables, bool Incremental, LandingFormat? Format, bool ChangeLog = false);
