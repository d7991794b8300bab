using Alquimia.Warehouse;

namespace Alquimia.Ingestion.Cdc;

/// <summary>
/// The columns a CDC source's bronze change feed adds after the table's own (docs/projects.md, "CDC sources"). Every
/// row is one change: the operation, where it sits in the order of changes, the commit it belongs to, and the old row
/// when the table's replica identity is FULL.
/// </summary>
internal static class ChangeColumns
{
    /// <summary><c>snapshot</c>, <c>insert</c>, <c>update</c>, <c>delete</c> or <c>truncate</c>.</summary>
    public const string Operation = "_op";

    /// <summary>
    /// The order of the changes, for <c>sequence_by</c>: the commit's LSN × 10^10 + the change's position in it. Position
    /// 0 is a new snapshot's truncate, 1 the snapshot's rows, 2 onwards a transaction's changes in order. DECIMAL(38,0).
    /// </summary>
    public const string Sequence = "_seq";

    /// <summary>The commit's LSN, as PostgreSQL writes it (<c>0/16B3748</c>); for a snapshot row, where the slot stood.</summary>
    public const string Lsn = "_lsn";

    /// <summary>When the transaction committed (TIMESTAMPTZ); for a snapshot row, when the snapshot was taken.</summary>
    public const string CommitTime = "_commit_ts";

    /// <summary>The transaction's id (BIGINT); NULL for a snapshot row.</summary>
    public const string TransactionId = "_xid";

    /// <summary>The row before an update, as JSON, when the table's replica identity is FULL; NULL otherwise.</summary>
    public const string OldRow = "_old";

    public const string Snapshot = "snapshot";
    public const string Insert = "insert";
    public const string Update = "update";
    public const string Delete = "delete";
    public const string Truncate = "truncate";

    /// <summary>Positions in one commit: the sequence is the commit's LSN times this, plus the position.</summary>
    public const long PositionsPerCommit = 10_000_000_000;

    /// <summary>The position of a new snapshot's truncate, of its rows, and of a transaction's first change.</summary>
    public const long TruncatePosition = 0, SnapshotPosition = 1, FirstChangePosition = 2;

    public static IReadOnlyList<string> Names { get; } = [Operation, Sequence, Lsn, CommitTime, TransactionId, OldRow];

    /// <summary>
    /// The change columns as a feed lands them: bronze's columns after a table's declared ones, for a feed created
    /// before its first sync (<c>alquimia setup</c>, the Databricks deploy).
    /// </summary>
    public static IReadOnlyList<ColumnInfo> Typed { get; } =
    [
        new(Operation, "VARCHAR"), new(Sequence, "DECIMAL(38,0)"), new(Lsn, "VARCHAR"), new(CommitTime, "TIMESTAMPTZ"), new(TransactionId, "BIGINT"), new(OldRow, "JSON"),
    ];
}
