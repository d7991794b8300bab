using Alquimia.Projects;
using Alquimia.Projects.Loading;

namespace Alquimia.Ingestion.MySql;

/// <summary>
/// A <c>mysql</c> source (named apart from the MySqlConnector driver it uses): tables of a MySQL or MariaDB database (seed 003's Radar), streamed row by row into landing
/// Parquet, each run's tables read through consistent snapshots (<see cref="MySqlSnapshot"/>), incrementally by a
/// cursor column or in full.
/// </summary>
internal sealed class MySqlSourceConnector : ISourceConnector
{
    private static readonly Dictionary<string, MySqlTlsMode> TlsModes = new(StringComparer.Ordinal)
    {
        ["preferred"] = MySqlTlsMode.Preferred,
        ["required"] = MySqlTlsMode.Required,
        ["verify_ca"] = MySqlTlsMode.VerifyCa,
        ["verify_full"] = MySqlTlsMode.VerifyFull,
    };

    private static readonly Dictionary<string, MySqlSnapshotMode> SnapshotModes = new(StringComparer.Ordinal)
    {
        ["auto"] = MySqlSnapshotMode.Auto,
        ["locked"] = MySqlSnapshotMode.Locked,
        ["unlocked"] = MySqlSnapshotMode.Unlocked,
    };

    private static readonly Dictionary<string, MySqlZeroDates> ZeroDateChoices = new(StringComparer.Ordinal)
    {
        ["fail"] = MySqlZeroDates.Fail,
        ["null"] = MySqlZeroDates.Null,
    };

    public string Type => "mysql";

    public ConnectorTraits Traits { get; } = new(Extracts: true, ListsTables: true, Incremental: true, Format: LandingFormat.Parquet);

    public IReadOnlyList<string> Keys { get; } = ["connection", "database", "ssl_mode", "parallel", "snapshot", "zero_dates"];

    public SourceOptions ReadOptions(YamlSection source) => new MySqlOptions(
        source.String("connection", "the server to extract from, e.g. connection: ${RADAR_MYSQL} (a mysql:// URL or a MySqlConnector connection string, read from the environment).") ?? "",
        source.String("database"),
        source.Choice("ssl_mode", TlsModes) ?? MySqlTlsMode.Preferred,
        source.Int("parallel", minimum: 1) ?? MySqlOptions.DefaultParallel,
        source.Choice("snapshot", SnapshotModes) ?? MySqlSnapshotMode.Auto,
        source.Choice("zero_dates", ZeroDateChoices) ?? MySqlZeroDates.Fail);

    public IReadOnlyList<string> ListTables(SourceDefinition source, CancellationToken cancellationToken) => MySqlSource.Tables(source, cancellationToken);

    public ISyncSession OpenSession(SourceDefinition source, CancellationToken cancellationToken) => MySqlSnapshot.Take(source, cancellationToken);
}
