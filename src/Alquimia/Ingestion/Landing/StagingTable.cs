using Alquimia.Warehouse.DuckDb;
using Alquimia.Projects;
using Alquimia.Warehouse;

namespace Alquimia.Ingestion.Landing;

/// <summary>
/// A temporary table that holds a part's rows as they arrive from the COPY, typed as they travel, on a DuckDB
/// connection of its own. Outside the step's transaction, because a table dropped inside a transaction keeps its
/// memory until the commit, which would hold every part of the table at once; and of its own, so that one part can
/// be written out on another thread while the next one fills.
/// </summary>
internal sealed class StagingTable : IDisposable
{
    private const string Name = "__alquimia_extract";

    private readonly IReadOnlyList<StagedColumn> _columns;

    public StagingTable(string warehouse, IReadOnlyList<StagedColumn> columns)
    {
        _columns = columns;
        Connection = new CheckedConnection(warehouse);
        Connection.Open();
    }

    /// <summary>The connection that sees the table.</summary>
    public CheckedConnection Connection { get; }

    /// <summary>The table's name, quoted for SQL.</summary>
    public static string Sql => SqlText.Identifier(Name);

    /// <summary>Creates the table, empty.</summary>
    public void Create(CancellationToken cancellationToken) => Connection.Execute(
        $"CREATE OR REPLACE TEMP TABLE {Sql} ({string.Join(", ", _columns.Select(column => $"{SqlText.Identifier(column.Name)} {column.DuckDbType}"))})",
        cancellationToken);

    public CheckedAppender CreateAppender() => Connection.CreateCheckedAppender(null, Name);

    /// <summary>Drops the table, which frees its memory.</summary>
    public void Drop(CancellationToken cancellationToken) => Connection.Execute($"DROP TABLE {Sql}", cancellationToken);

    /// <summary>
    /// Writes the staged rows as <paramref name="batch"/>'s next part, each column as <paramref name="columns"/> lands it,
    /// keeping only the rows <paramref name="reRead"/> lets through when it is set. A value its landing type cannot hold
    /// fails the part with <paramref name="cannotLand"/>'s exception, given the index of the column it is in (null when
    /// no single cast fails) and DuckDB's reason.
    /// </summary>
    public void WritePart(
        LandingBatch batch, IReadOnlyList<LandedColumn> columns, ReReadRows? reRead, Func<int?, string, Exception> cannotLand, CancellationToken cancellationToken)
    {
        var landed = $"SELECT {string.Join(", ", columns.Select(column => column.Expression))} FROM {Sql}";
        if (reRead is not null)
        {
            landed = reRead.ToLand(landed, [.. columns.Select(column => new ColumnInfo(column.Name, column.DuckDbType))]);
        }

        var part = batch.NextPartPath();
        try
        {
            batch.Added(Connection.Execute($"COPY ({landed}) TO {SqlText.Literal(part)} ({batch.ParquetOptions})", cancellationToken));
        }
        catch (DuckDbEngineException error) when (error.ErrorType is DuckDB.NET.Native.DuckDBErrorType.Conversion or DuckDB.NET.Native.DuckDBErrorType.InvalidInput)
        {
            // DuckDB's error names the value, not the column; its first line only, as the rest quotes the COPY's SQL.
            var reason = $"{error.DuckDbMessage.Trim().ReplaceLineEndings("\n").Split('\n')[0].TrimEnd('.')}.";
            throw cannotLand(FirstFailingCast([.. columns.Select(column => column.Value)], cancellationToken), reason);
        }
    }

    /// <summary>
    /// The index of the first of <paramref name="casts"/> (each column's landing value over its staged one; null for a
    /// column landed as staged) that fails for some staged row: DuckDB's error names the value, not the column. Run
    /// only once a part has failed, so its cost (each cast column read once more) is paid only then.
    /// </summary>
    private int? FirstFailingCast(IReadOnlyList<string?> casts, CancellationToken cancellationToken)
    {
        for (var i = 0; i < casts.Count; i++)
        {
            if (casts[i] is not { } cast)
            {
                continue;
            }

            try
            {
                // hash() needs every value whole, so that every cast is made.
                Connection.Execute($"SELECT max(hash({cast})) FROM {Sql}", cancellationToken, []);
            }
            catch (DuckDbEngineException error) when (error.ErrorType is DuckDB.NET.Native.DuckDBErrorType.Conversion or DuckDB.NET.Native.DuckDBErrorType.InvalidInput)
            {
                return i;
            }
        }

        return null;
    }

    public void Dispose() => Connection.Dispose();
}

/// <summary>A staging column: its name and the DuckDB type its values arrive as.</summary>
internal sealed record StagedColumn(string Name, string DuckDbType);

/// <summary>A staged column as it lands: its name, its landing type, and its landing value over the staged one (null when it lands as staged).</summary>
internal sealed record LandedColumn(string Name, string DuckDbType, string? Value)
{
    /// <summary>The column in the SELECT that writes the part.</summary>
    public string Expression => Value is null ? SqlText.Identifier(Name) : $"{Value} AS {SqlText.Identifier(Name)}";
}
