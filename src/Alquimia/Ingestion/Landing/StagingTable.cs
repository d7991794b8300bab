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
    /// The index of the first of <paramref name="casts"/> (each column's landing value over its staged one; null for a
    /// column landed as staged) that fails for some staged row: DuckDB's error names the value, not the column. Run
    /// only once a part has failed, so its cost (each cast column read once more) is paid only then.
    /// </summary>
    public int? FirstFailingCast(IReadOnlyList<string?> casts, CancellationToken cancellationToken)
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
