using Alquimia.Ingestion.Postgres;
using Alquimia.Projects;
using Alquimia.Projects.Loading;

namespace Alquimia.Ingestion.Cdc;

/// <summary>
/// A <c>postgres_cdc</c> source: PostgreSQL tables captured by logical replication (pgoutput) into bronze change
/// feeds — a snapshot of each table, then every insert, update, delete and truncate, in commit order, with
/// <see cref="ChangeColumns"/>. <c>alquimia cdc setup</c> creates the publication and the slot; docs/projects.md, "CDC sources".
/// </summary>
internal sealed class PostgresCdcConnector : ISourceConnector
{
    public string Type => "postgres_cdc";

    public ConnectorTraits Traits { get; } = new(Extracts: true, ListsTables: true, Incremental: false, Format: LandingFormat.Parquet, ChangeLog: true);

    public IReadOnlyList<string> Keys { get; } = ["connection", "schema", "publication", "slot"];

    public SourceOptions ReadOptions(YamlSection source)
    {
        var name = PostgresCdcOptions.DefaultName(source.String("name") ?? "source");
        return new PostgresCdcOptions(
            source.String("connection", "the database to capture, e.g. connection: ${ECOMMERCE_POSTGRES} (a postgres:// URL or an Npgsql connection string, read from the environment).") ?? "",
            source.String("schema") ?? "public",
            source.String("publication") ?? name,
            source.String("slot") ?? name);
    }

    public IReadOnlyList<string> ListTables(SourceDefinition source, CancellationToken cancellationToken) => PostgresSource.Tables(source, cancellationToken);

    public ISyncSession OpenSession(SourceDefinition source, CancellationToken cancellationToken) => PostgresCdcSession.Open(source, cancellationToken);
}
