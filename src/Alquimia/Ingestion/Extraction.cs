using Alquimia.Ingestion.Landing;

namespace Alquimia.Ingestion;

/// <summary>What one extraction landed.</summary>
/// <param name="Rows">Rows landed (the new ones only, for an incremental table).</param>
/// <param name="Cursor">Where the next sync starts; null for a full_refresh table, whose stored cursor is then forgotten.</param>
/// <param name="Warnings">What the step should warn about, e.g. a column landed as text.</param>
internal sealed record Extraction(long Rows, SourceCursor? Cursor, IReadOnlyList<string> Warnings);
