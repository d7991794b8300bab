// The checked layer is the one place that may call what BannedSymbols.txt keeps from the rest of the code.
#pragma warning disable RS0030

using System.Data;
using System.Data.Common;
using DuckDB.NET.Data;

namespace Alquimia.Warehouse.DuckDb;

/// <summary>
/// A DuckDB.NET connection with the checks Alquimia relies on: one database instance per file per process whatever
/// the path's spelling, conflicting settings refused, a typed error for a file another process holds, commands whose
/// errors carry DuckDB's own kind, transactions whose commit throws when DuckDB rolled back, and appenders that check
/// widths and text. Connections to one file share one database instance; each is for one thread at a time.
/// </summary>
public sealed class CheckedConnection : DuckDBConnection
{
    private readonly List<CheckedAppender> _appenders = [];
    private readonly List<DbDataReader> _readers = [];
    private string? _openPath;

    /// <summary>A connection to a private in-memory database, until another connection string is set.</summary>
    public CheckedConnection() : base(new DuckDbSettings().ConnectionString) { }

    public CheckedConnection(string connectionString) : base(connectionString) { }

    public CheckedConnection(DuckDbSettings settings) : base(settings.ConnectionString) { }

    /// <summary>The transaction this connection has open, if any.</summary>
    internal CheckedTransaction? CurrentTransaction { get; set; }

    public override void Open()
    {
        if (State == ConnectionState.Open)
        {
            throw new InvalidOperationException("The connection is already open.");
        }

        var settings = DuckDbSettings.Parse(ConnectionString);
        OpenDatabases.Open(settings, (canonical, first) =>
        {
            ConnectionString = canonical;
            base.Open();
            if (first)
            {
                CreateBuiltInEntries();
            }
        });
        _openPath = settings.IsPrivateInMemory ? DuckDbSettings.InMemory : Path.GetFullPath(settings.DataSource);
    }

    public override void Close()
    {
        if (State == ConnectionState.Closed)
        {
            return;
        }

        // DuckDB.NET drops the rows of an appender still open when its connection closes: write them first.
        Exception? failure = null;
        foreach (var appender in _appenders.ToArray())
        {
            try
            {
                appender.Dispose();
            }
            catch (Exception error)
            {
                failure ??= error;
            }
        }

        // A result left open keeps DuckDB's database alive past its last connection, and the next connection to the
        // file would open a second instance beside it, whose writes the first one's checkpoint then loses.
        foreach (var reader in _readers)
        {
            reader.Dispose();
        }

        _readers.Clear();
        try
        {
            CurrentTransaction?.Dispose();
        }
        finally
        {
            base.Close();
            OpenDatabases.Closed(_openPath!);
            _openPath = null;
        }

        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
    }

    /// <inheritdoc cref="DbConnection.CreateCommand"/>
    public override DuckDBCommand CreateCommand() => new CheckedCommand { Connection = this };

    /// <summary>A command with this text on this connection; it reads in streaming mode.</summary>
    public CheckedCommand CreateCommand(string commandText) => new(commandText) { Connection = this };

    /// <summary>Begins a transaction (snapshot isolation) whose commit throws when DuckDB would roll it back.</summary>
    public new CheckedTransaction BeginTransaction() => Begin(readOnly: false);

    /// <summary>
    /// Begins a read-only transaction: one consistent snapshot, every write in it refused. DuckDB opens a database for
    /// writing or not as a whole; this is how a connection to a writable one reads without being able to write.
    /// </summary>
    public CheckedTransaction BeginReadOnlyTransaction() => Begin(readOnly: true);

    private CheckedTransaction Begin(bool readOnly)
    {
        if (CurrentTransaction is not null)
        {
            throw new InvalidOperationException("The connection already has an open transaction; DuckDB does not nest them.");
        }

        CurrentTransaction = CheckedTransaction.Begin(this, readOnly);
        return CurrentTransaction;
    }

    /// <summary>
    /// A checked appender on an existing table: see <see cref="CheckedAppender"/>. For an all-or-nothing load, append inside
    /// a transaction.
    /// </summary>
    public CheckedAppender CreateCheckedAppender(string table) => CreateCheckedAppender(null, table);

    /// <inheritdoc cref="CreateCheckedAppender(string)"/>
    public CheckedAppender CreateCheckedAppender(string? schema, string table)
    {
        var appender = CheckedAppender.Open(this, schema, table);
        _appenders.Add(appender);
        return appender;
    }

    /// <summary>A reader opened on this connection, to be closed with it; readers closed meanwhile are forgotten.</summary>
    internal void Track(DbDataReader reader)
    {
        _readers.RemoveAll(open => open.IsClosed);
        _readers.Add(reader);
    }

    /// <summary>The checked appender is done with: it no longer needs closing with the connection.</summary>
    internal void Forget(CheckedAppender appender) => _appenders.Remove(appender);

    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => isolationLevel is IsolationLevel.Unspecified or IsolationLevel.Snapshot
        ? BeginTransaction()
        : throw new NotSupportedException($"DuckDB runs transactions under snapshot isolation only; {isolationLevel} is not available.");

    /// <summary>
    /// DuckDB creates its built-in catalog entries (SQL macros such as <c>arg_max_null</c>, the system views) lazily, at
    /// their first use in each database. Two connections doing that at once have crashed the process (a general
    /// protection fault in <c>CatalogSet::CreateDefaultEntry</c>, under parallel pipeline steps on a new warehouse).
    /// Listing them once, on the first connection, before a second can exist, creates them all on one thread.
    /// </summary>
    private void CreateBuiltInEntries()
    {
        using var command = CreateCommand(
            "SELECT (SELECT count(*) FROM duckdb_functions()) + (SELECT count(*) FROM duckdb_views()) + (SELECT count(*) FROM duckdb_schemas()) + (SELECT count(*) FROM duckdb_types())");
        command.ExecuteScalar();
    }
}
