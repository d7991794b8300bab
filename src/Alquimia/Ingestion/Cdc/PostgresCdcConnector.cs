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

    public IReadOnlyList<string> Keys { get; } = ["connection", "schema", "publication", "slot", "continuous"];

    private static readonly string[] ContinuousKeys = ["every", "max_changes"];

    public SourceOptions ReadOptions(YamlSection source)
    {
        var name = PostgresCdcOptions.DefaultName(source.String("name") ?? "source");
        return new PostgresCdcOptions(
            source.String("connection", "the database to capture, e.g. connection: ${ECOMMERCE_POSTGRES} (a postgres:// URL or an Npgsql connection string, read from the environment).") ?? "",
            source.String("schema") ?? "public",
            source.String("publication") ?? name,
            source.String("slot") ?? name)
        {
            Continuous = Continuous(source),
        };
    }

    /// <summary>
    /// <c>continuous: {every: 5s, max_changes: 50000}</c>: <c>alquimia serve</c> syncs the source, and what is downstream
    /// of it, at least every <c>every</c>; a sync lands at most <c>max_changes</c>, and the next then starts at once.
    /// </summary>
    private static Operations.ContinuousSource? Continuous(YamlSection source)
    {
        if (source.Mapping("continuous", "'continuous' of the source") is not { } continuous)
        {
            return null;
        }

        continuous.CheckKeys(ContinuousKeys);
        var every = continuous.Duration("every");
        if (!continuous.Has("every"))
        {
            continuous.Problem(continuous.Line, "'continuous' needs 'every': how often alquimia serve syncs the source at the latest, e.g. every: 5s.");
        }

        return new Operations.ContinuousSource("", every ?? TimeSpan.FromSeconds(5), continuous.Int("max_changes", 1));
    }

    public IReadOnlyList<string> ListTables(SourceDefinition source, CancellationToken cancellationToken) => PostgresSource.Tables(source, cancellationToken);

    public ISyncSession OpenSession(SourceDefinition source, CancellationToken cancellationToken) => PostgresCdcSession.Open(source);
}
