namespace Alquimia.Ingestion.Landing.Storage;

/// <summary>
/// A batch whose parts are written, waiting in a hidden staging folder (<c>&lt;partition&gt;=…/.&lt;batch&gt;.partial/</c>)
/// to be published: a batch of one part becomes <c>&lt;partition&gt;=…/&lt;batch&gt;.parquet</c>, a larger one the folder
/// <c>&lt;partition&gt;=…/&lt;batch&gt;/</c> of its parts.
/// </summary>
/// <param name="Table">The source table's name, its folder's.</param>
/// <param name="TableFolder">The table's local landing folder.</param>
/// <param name="Staging">The hidden folder holding the parts.</param>
/// <param name="Name">The batch's name, unique to its sync.</param>
/// <param name="Partition">Its partition folder, e.g. <c>cog_dt_ingestion=2024-01-15</c>.</param>
/// <param name="Parts">The parts' staged paths, in order; at least one.</param>
internal sealed record StagedBatch(string Table, string TableFolder, string Staging, string Name, string Partition, IReadOnlyList<string> Parts)
{
    /// <summary>Each part's staged path and its path in the table's folder once published, with forward slashes.</summary>
    public IReadOnlyList<(string Staged, string Relative)> Files => Parts.Count == 1
        ? [(Parts[0], $"{Partition}/{Name}.parquet")]
        : [.. Parts.Select(part => (part, $"{Partition}/{Name}/{Path.GetFileName(part)}"))];
}
