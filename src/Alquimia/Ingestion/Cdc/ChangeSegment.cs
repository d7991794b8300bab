using System.Globalization;
using Alquimia.Ingestion.Landing;
using Alquimia.Projects;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Ingestion.Cdc;

/// <summary>
/// The changes of one table in one sync that share one shape of the table (a Relation message starts a new segment),
/// staged in a DuckDB table of their own until the table's step writes them as a landing part. The staged row is the
/// old row's columns (replica identity FULL only), the row's, then what the change is.
/// </summary>
internal sealed class ChangeSegment : IDisposable
{
    private const string CommitLsn = "__commit_lsn", Position = "__position", HasOld = "__has_old", Unchanged = "__unchanged";

    private readonly StagingTable _staging;
    private CheckedAppender? _appender;

    public ChangeSegment(string warehouse, IReadOnlyList<ChangeColumn> columns, bool keepsOldRow)
    {
        Columns = columns;
        KeepsOldRow = keepsOldRow;
        List<StagedColumn> staged =
        [
            .. keepsOldRow ? columns.Select((column, i) => new StagedColumn(OldName(i), column.Column.StagingType)) : [],
            .. columns.Select(column => new StagedColumn(column.Name, column.Column.StagingType)),
            new(ChangeColumns.Operation, "VARCHAR"), new(CommitLsn, "BIGINT"), new(Position, "BIGINT"), new(ChangeColumns.CommitTime, "TIMESTAMPTZ"),
            new(ChangeColumns.TransactionId, "BIGINT"), new(HasOld, "BOOLEAN"), new(Unchanged, "VARCHAR"),
        ];
        _staging = new StagingTable(warehouse, staged);
        _staging.Create(CancellationToken.None);
        _appender = _staging.CreateAppender();
    }

    /// <summary>The table's columns in this segment, in the Relation message's order.</summary>
    public IReadOnlyList<ChangeColumn> Columns { get; }

    /// <summary>True when the table's replica identity is FULL: updates and deletes bring the whole old row.</summary>
    public bool KeepsOldRow { get; }

    public long Rows { get; private set; }

    /// <summary>True when some update left a TOASTed value out (unchanged), to be filled from the row's previous version.</summary>
    public bool HasUnchanged { get; private set; }

    /// <summary>A new staged row; the caller appends the old row's values (when <see cref="KeepsOldRow"/>), the row's, then calls <see cref="End"/>.</summary>
    public CheckedAppenderRow Begin() => (_appender ?? throw new InvalidOperationException("The segment is closed.")).CreateRow();

    /// <summary>Ends the row with what the change is.</summary>
    /// <param name="unchanged">The indexes of the columns the change left unchanged (TOAST), or empty.</param>
    public void End(CheckedAppenderRow row, string operation, ulong commitLsn, long position, DateTime commitTime, uint? xid, bool hasOld, IReadOnlyList<int> unchanged)
    {
        row = row.Append(operation).Append((long)commitLsn).Append(position).Append(new DateTimeOffset(DateTime.SpecifyKind(commitTime, DateTimeKind.Utc)));
        row = xid is { } id ? row.Append((long)id) : row.AppendNull();
        row = row.Append(hasOld);
        row = unchanged.Count == 0 ? row.AppendNull() : row.Append("," + string.Join(",", unchanged.Select(i => i.ToString(CultureInfo.InvariantCulture))) + ",");
        row.EndRow();
        HasUnchanged |= unchanged.Count > 0;
        Rows++;
    }

    /// <summary>Stops appending: the staged rows are complete.</summary>
    public void Close()
    {
        _appender?.Dispose();
        _appender = null;
    }

    /// <summary>
    /// Writes the staged changes, in their order, as <paramref name="batch"/>'s next part; unchanged TOAST values are
    /// filled first from the row's previous version (<paramref name="prior"/>: the table's changes landed before these).
    /// </summary>
    public void WritePart(LandingBatch batch, SourceDefinition source, SourceTable table, string? prior, CancellationToken cancellationToken)
    {
        Close();
        if (Rows == 0)
        {
            return;
        }

        if (HasUnchanged)
        {
            FillUnchanged(source, table, prior, cancellationToken);
        }

        var sequence = $"CAST(CAST({CommitLsn} AS DECIMAL(38,0)) * {ChangeColumns.PositionsPerCommit} + {Position} AS DECIMAL(38,0))";
        var oldRow = KeepsOldRow
            ? $"CASE WHEN {HasOld} THEN CAST(to_json(struct_pack({string.Join(", ", Columns.Select((column, i) => $"{SqlText.Identifier(column.Name)} := {column.Column.LandingValue(SqlText.Identifier(OldName(i)))}"))})) AS JSON) END"
            : "CAST(NULL AS JSON)";
        List<LandedColumn> landed =
        [
            .. Columns.Select(column => column.Column.Landed),
            new(ChangeColumns.Operation, "VARCHAR", null),
            new(ChangeColumns.Sequence, "DECIMAL(38,0)", sequence),
            new(ChangeColumns.Lsn, "VARCHAR", $"printf('%X/%X', {CommitLsn} >> 32, {CommitLsn} & 4294967295)"),
            new(ChangeColumns.CommitTime, "TIMESTAMPTZ", null),
            new(ChangeColumns.TransactionId, "BIGINT", null),
            new(ChangeColumns.OldRow, "JSON", oldRow),
        ];
        _staging.WritePart(batch, landed, reRead: null, (index, reason) => index is { } failing && failing < Columns.Count
            ? new AlquimiaException(
                $"Source '{source.Name}': a changed value of column '{Columns[failing].Name}' ({Columns[failing].Column.PostgresType}) of table {table.Name} cannot be landed: "
                + $"{reason} {Columns[failing].Column.Fix}")
            : new AlquimiaException($"Source '{source.Name}': a change of table {table.Name} cannot be landed: {reason}"),
            cancellationToken);
    }

    /// <summary>
    /// Replaces each value an update left unchanged (a TOASTed value PostgreSQL does not send again under replica
    /// identity DEFAULT) with the key's latest earlier value: from the old row when there is one, else from the
    /// changes before it in this segment, the batch and bronze (<paramref name="prior"/>). A value found nowhere fails
    /// the table, naming the column: it is never landed as NULL.
    /// </summary>
    private void FillUnchanged(SourceDefinition source, SourceTable table, string? prior, CancellationToken cancellationToken)
    {
        var connection = _staging.Connection;
        var marked = Marked(cancellationToken);
        if (KeepsOldRow)
        {
            foreach (var i in marked)
            {
                connection.Execute(
                    $"UPDATE {StagingTable.Sql} SET {SqlText.Identifier(Columns[i].Name)} = {SqlText.Identifier(OldName(i))}, {Unchanged} = replace({Unchanged}, ',{i},', ',') "
                    + $"WHERE {HasOld} AND contains({Unchanged}, ',{i},')",
                    cancellationToken);
            }

            marked = Marked(cancellationToken);
        }

        if (marked.Count == 0)
        {
            return;
        }

        var keys = Columns.Where(column => column.IsKey).Select(column => SqlText.Identifier(column.Name)).ToList();
        if (keys.Count == 0)
        {
            throw Unknown(source, table, Columns[marked[0]].Name, "the table has no replica identity key to find the row's earlier version by");
        }

        var available = prior is null ? [] : connection.Query($"SELECT column_name FROM (DESCRIBE {prior})", reader => reader.GetString(0), cancellationToken).ToHashSet(StringComparer.Ordinal);
        string Staged(int i) => $"CAST({SqlText.Identifier(Columns[i].Name)} AS {Columns[i].Column.StagingType})";
        var keyList = string.Join(", ", keys);
        var wanted = $"EXISTS (SELECT 1 FROM {StagingTable.Sql} AS s WHERE s.{Unchanged} IS NOT NULL AND {string.Join(" AND ", keys.Select(key => $"s.{key} IS NOT DISTINCT FROM h.{key}"))})";
        var history = $"SELECT {keyList}, {string.Join(", ", marked.Select(i => $"{Staged(i)} AS {SqlText.Identifier(Columns[i].Name)}"))}, "
            + $"CAST({CommitLsn} AS DECIMAL(38,0)) * {ChangeColumns.PositionsPerCommit} + {Position} AS __seq, {ChangeColumns.Operation}, {Unchanged}, rowid AS __row FROM {StagingTable.Sql}";
        if (prior is not null && keys.All(key => available.Contains(Columns.First(column => SqlText.Identifier(column.Name) == key).Name)))
        {
            var values = marked.Select(i => available.Contains(Columns[i].Name) ? $"{Staged(i)} AS {SqlText.Identifier(Columns[i].Name)}" : $"CAST(NULL AS {Columns[i].Column.StagingType}) AS {SqlText.Identifier(Columns[i].Name)}");
            history = $"SELECT {keyList}, {string.Join(", ", values)}, CAST({ChangeColumns.Sequence} AS DECIMAL(38,0)) AS __seq, {ChangeColumns.Operation}, "
                + $"CAST(NULL AS VARCHAR) AS {Unchanged}, CAST(NULL AS BIGINT) AS __row FROM ({prior}) WHERE {ChangeColumns.Operation} NOT IN ('{ChangeColumns.Delete}', '{ChangeColumns.Truncate}') "
                + $"UNION ALL {history}";
        }

        var fills = marked.Select(i => $"last_value(CASE WHEN (h.{Unchanged} IS NULL OR NOT contains(h.{Unchanged}, ',{i},')) AND h.{ChangeColumns.Operation} NOT IN ('{ChangeColumns.Delete}', '{ChangeColumns.Truncate}') "
            + $"THEN struct_pack(v := h.{SqlText.Identifier(Columns[i].Name)}) END IGNORE NULLS) OVER w AS __fill_{i}");
        connection.Execute(
            $"CREATE OR REPLACE TEMP TABLE __alquimia_fills AS SELECT * FROM (SELECT h.__row, h.{Unchanged}, {string.Join(", ", fills)} FROM ({history}) AS h WHERE {wanted} "
            + $"WINDOW w AS (PARTITION BY {string.Join(", ", keys.Select(key => $"h.{key}"))} ORDER BY h.__seq ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)) WHERE __row IS NOT NULL AND {Unchanged} IS NOT NULL",
            cancellationToken);
        foreach (var i in marked)
        {
            if (connection.Scalar<bool>($"SELECT count(*) > 0 FROM __alquimia_fills WHERE contains({Unchanged}, ',{i},') AND __fill_{i} IS NULL", cancellationToken))
            {
                throw Unknown(source, table, Columns[i].Name, "no earlier version of the row was captured (it predates the table's snapshot, or bronze lost it)");
            }

            connection.Execute(
                $"UPDATE {StagingTable.Sql} SET {SqlText.Identifier(Columns[i].Name)} = f.__fill_{i}.v FROM __alquimia_fills AS f "
                + $"WHERE {StagingTable.Sql}.rowid = f.__row AND contains(f.{Unchanged}, ',{i},')",
                cancellationToken);
        }

        connection.Execute("DROP TABLE __alquimia_fills", cancellationToken);
    }

    /// <summary>The indexes of the columns some staged change left unchanged, read in one pass.</summary>
    private List<int> Marked(CancellationToken cancellationToken)
    {
        var marks = string.Join(", ", Columns.Select((_, i) => $"bool_or(contains({Unchanged}, ',{i},'))"));
        return _staging.Connection.Query(
            $"SELECT {marks} FROM {StagingTable.Sql}",
            reader => Enumerable.Range(0, Columns.Count).Where(i => !reader.IsDBNull(i) && reader.GetBoolean(i)).ToList(),
            cancellationToken).Single();
    }

    private static AlquimiaException Unknown(SourceDefinition source, SourceTable table, string column, string why) => new(
        $"Source '{source.Name}': an update of table {table.Name} left column '{column}' out (a large value PostgreSQL stores apart and does not send "
        + $"again when it is unchanged), and {why}; it is not landed as NULL, so nothing of this sync lands. Fix: ALTER TABLE {table.Name} REPLICA IDENTITY FULL "
        + "(every update then carries the whole row), then sync again.");

    private static string OldName(int index) => string.Create(CultureInfo.InvariantCulture, $"__old_{index}");

    public void Dispose()
    {
        Close();
        _staging.Dispose();
    }
}
