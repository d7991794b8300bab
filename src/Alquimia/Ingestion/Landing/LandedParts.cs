using System.Globalization;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Ingestion.Landing;

/// <summary>
/// Seed 003's check of its files after a sync ("verificar integridade dos arquivos"), made before the batch is
/// published: every part is a Parquet file whose footer DuckDB reads, and holds the rows its writer counted into it,
/// which are the rows the extraction read from the source. A part that fails either is never published, so bronze never
/// takes it, and the step fails naming the file.
/// </summary>
internal static class LandedParts
{
    /// <exception cref="AlquimiaException">A part cannot be read, or holds other rows than were written into it.</exception>
    public static void Check(CheckedConnection connection, string source, string table, LandingBatch batch, CancellationToken cancellationToken = default)
    {
        foreach (var (path, rows) in batch.Parts)
        {
            long? held;
            try
            {
                // The footer alone: its row groups' counts. Bronze reads every value of the part next, in this step.
                held = connection.Scalar<long?>($"SELECT CAST(sum(num_rows) AS BIGINT) FROM parquet_file_metadata({SqlText.Literal(path)})", cancellationToken);
            }
            catch (DuckDbEngineException error)
            {
                throw new AlquimiaException(
                    $"Source '{source}', table {table}: the landed part {path} cannot be read as Parquet ({error.DuckDbMessage.Trim()}). "
                    + "Nothing of this sync is published; the next attempt extracts the table again. Check the disk the lake is on.",
                    error);
            }

            if (held != rows)
            {
                throw new AlquimiaException(string.Create(CultureInfo.InvariantCulture,
                    $"Source '{source}', table {table}: the landed part {path} holds {held ?? 0:N0} rows, where {rows:N0} were written into it. Nothing of this sync is published; the next attempt extracts the table again. Check the disk the lake is on."));
            }
        }
    }
}
