using Alquimia.Projects;
using Alquimia.Projects.Loading;

namespace Alquimia.Ingestion.Postgres;

/// <summary>
/// A <c>postgres</c> source: tables of a PostgreSQL database, extracted by binary COPY into landing Parquet, every
/// table of a run from one snapshot (<see cref="PostgresSnapshot"/>), incrementally by a cursor column or in full.
/// </summary>
internal sealed class PostgresConnector : ISourceConnector
{
    public string Type => "postgres";

    public ConnectorTraits Traits { get; } = new(Extracts: true, ListsTables: true, Incremental: true, Format: LandingFormat.Parquet);

    public IReadOnlyList<string> Keys { get; } = ["connection", "schema"];

    public SourceOptions ReadOptions(YamlSection source) => new PostgresOptions(
        source.String("connection", "the database to extract from, e.g. connection: ${VCREDIT_POSTGRES} (a postgres:// URL or an Npgsql connection string, read from the environment).") ?? "",
        source.String("schema") ?? "public");

    public IReadOnlyList<string> ListTables(SourceDefinition source, CancellationToken cancellationToken) => PostgresSource.Tables(source, cancellationToken);

    public ISyncSession OpenSession(SourceDefinition source, CancellationToken cancellationToken) => PostgresSnapshot.Take(source, cancellationToken);
}
