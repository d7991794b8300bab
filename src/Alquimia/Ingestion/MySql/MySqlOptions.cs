using Alquimia.Projects;

namespace Alquimia.Ingestion.MySql;

/// <summary>How a MySQL source's connections ask for TLS.</summary>
internal enum MySqlTlsMode
{
    /// <summary>TLS when the server offers it, plain otherwise (the seed's <c>ssl_mode: preferred</c>).</summary>
    Preferred,

    /// <summary>TLS or no connection; the server's certificate is not checked.</summary>
    Required,

    /// <summary>TLS with a certificate signed by a trusted authority.</summary>
    VerifyCa,

    /// <summary>TLS with a trusted certificate whose name is the server's host.</summary>
    VerifyFull,
}

/// <summary>How the run's connections to a MySQL source open their snapshots (docs/projects.md, "A MySQL source").</summary>
internal enum MySqlSnapshotMode
{
    /// <summary>Locked when the server lets the user take <c>FLUSH TABLES WITH READ LOCK</c>, unlocked with a warning otherwise.</summary>
    Auto,

    /// <summary>Every connection's snapshot opened under a brief global read lock: one instant for every table. Fails without the RELOAD privilege.</summary>
    Locked,

    /// <summary>Each connection's snapshot opened one after the other, without a lock, and no warning about it.</summary>
    Unlocked,
}

/// <summary>What a MySQL zero date (<c>0000-00-00</c>, or a date with a zero month or day) becomes.</summary>
internal enum MySqlZeroDates
{
    /// <summary>The table fails, naming the column and the value: no calendar has that day. The default.</summary>
    Fail,

    /// <summary>It lands as NULL, and the step warns with how many did.</summary>
    Null,
}

/// <summary>A MySQL source's own keys.</summary>
/// <param name="Connection">As written: a MySqlConnector connection string or a <c>mysql://</c> URL, its <c>${VARIABLE}</c>s expanded only when a sync needs them.</param>
/// <param name="Database">The database its tables are in; null to take the connection's.</param>
/// <param name="Tls">How the connections ask for TLS. The default is <see cref="MySqlTlsMode.Preferred"/>.</param>
/// <param name="Parallel">Tables extracted at once, each on a connection of its own. The default is 4.</param>
/// <param name="Snapshot">How those connections open their snapshots. The default is <see cref="MySqlSnapshotMode.Auto"/>.</param>
/// <param name="ZeroDates">What a zero date becomes. The default is <see cref="MySqlZeroDates.Fail"/>.</param>
internal sealed record MySqlOptions(
    string Connection, string? Database, MySqlTlsMode Tls, int Parallel, MySqlSnapshotMode Snapshot, MySqlZeroDates ZeroDates) : SourceOptions
{
    public const int DefaultParallel = 4;

    public override string TablesIn => Database is null ? "the connection's database" : $"database {Database}";

    /// <summary>The options of a MySQL source.</summary>
    public static MySqlOptions Of(SourceDefinition source) => (MySqlOptions)source.Options;
}
