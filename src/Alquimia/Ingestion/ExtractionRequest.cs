using Alquimia.Ingestion.Landing;
using Alquimia.Projects;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Ingestion;

/// <summary>One table to extract in one sync.</summary>
/// <param name="From">Where this sync starts: the table's stored cursor; null on a first sync and for a full_refresh table.</param>
/// <param name="Batch">The batch to write parts into (<see cref="LandingBatch.NextPartPath"/>, then <see cref="LandingBatch.Added"/>); the caller publishes it.</param>
/// <param name="Warehouse">The step's connection, inside its transaction: what is landed can be read on it, and its connection string opens staging connections.</param>
internal sealed record ExtractionRequest(
    Project Project, SourceDefinition Source, SourceTable Table, SourceCursor? From, LandingBatch Batch, CheckedConnection Warehouse);
