using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;
using Alquimia.Engine.DuckDb.Native;

namespace Alquimia.Engine.DuckDb;

/// <summary>
/// A connection to a DuckDB database: a file, or memory. Connections to one file share one database instance in
/// this process; each connection is for one thread at a time, and many connections may run queries concurrently.
/// </summary>
public sealed partial class DuckDbConnection : DbConnection
{
    private string _connectionString;
    private DuckDbDatabase? _database;
    private DuckDbConnectionHandle? _handle;
    private ConnectionState _state = ConnectionState.Closed;
    private bool _closing;

    /// <summary>True while <see cref="Close"/> releases what depends on the connection.</summary>
    internal bool IsClosing => _closing;

    public DuckDbConnection() : this("") { }

    public DuckDbConnection(string connectionString)
    {
        _connectionString = connectionString;
    }

    /// <summary>See <see cref="DuckDbConnectionStringBuilder"/> for the keys.</summary>
    [AllowNull]
    public override string ConnectionString
    {
        get => _connectionString;
        set
        {
            if (_state != ConnectionState.Closed)
            {
                throw new InvalidOperationException("Close the connection before changing its connection string.");
            }

            _connectionString = value ?? "";
        }
    }

    public override string Database => "main";

    public override string DataSource => new DuckDbConnectionStringBuilder(_connectionString).DataSource;

    /// <summary>The version of the DuckDB library in use, e.g. <c>v1.5.6</c>.</summary>
    public override string ServerVersion
    {
        get
        {
            DuckDbNativeLibrary.EnsureLoaded();
            return NativeMethods.Startup.LibraryVersion();
        }
    }

    public override ConnectionState State => _state;

    /// <summary>The transaction this connection has open, if any.</summary>
    internal DuckDbTransaction? CurrentTransaction { get; set; }

    /// <summary>The command execution whose native step runs right now, the only one that may interrupt the connection.</summary>
    internal CommandExecution? RunningExecution { get; set; }

    /// <summary>Guards <see cref="RunningExecution"/> against an interrupt arriving from another thread.</summary>
    internal Lock ExecutionLock { get; } = new();

    internal DuckDbConnectionHandle Handle =>
        _handle ?? throw new InvalidOperationException("The connection is not open. Call Open() first.");

    public override void Open()
    {
        if (_state == ConnectionState.Open)
        {
            throw new InvalidOperationException("The connection is already open.");
        }

        var database = DuckDbDatabase.Acquire(new DuckDbConnectionStringBuilder(_connectionString));
        try
        {
            _handle = database.Connect();
        }
        catch
        {
            database.Release();
            throw;
        }

        _database = database;
        _state = ConnectionState.Open;
        OnStateChange(new StateChangeEventArgs(ConnectionState.Closed, ConnectionState.Open));
    }

    public override void Close()
    {
        // Releasing the dependents can come back here: a reader opened with CommandBehavior.CloseConnection.
        if (_state == ConnectionState.Closed || _closing)
        {
            return;
        }

        _closing = true;
        ExceptionDispatchInfo? failure;
        try
        {
            // Before the rollback, so that an appender's rows go into the transaction they were appended in.
            failure = ReleaseDependents();
            if (CurrentTransaction is { } transaction)
            {
                transaction.Dispose();
            }
        }
        finally
        {
            _closing = false;
            _handle!.Dispose();
            _handle = null;
            _database!.Release();
            _database = null;
            _state = ConnectionState.Closed;
            OnStateChange(new StateChangeEventArgs(ConnectionState.Open, ConnectionState.Closed));
        }

        failure?.Throw();
    }

    public override void ChangeDatabase(string databaseName) =>
        throw new NotSupportedException("A DuckDB connection has one database; use ATTACH and qualified names for others.");

    /// <inheritdoc cref="DbConnection.CreateCommand"/>
    public new DuckDbCommand CreateCommand() => new() { Connection = this };

    /// <summary>A command with this text on this connection.</summary>
    public DuckDbCommand CreateCommand(string commandText) => new(commandText, this);

    /// <inheritdoc cref="DbConnection.BeginTransaction()"/>
    public new DuckDbTransaction BeginTransaction() => BeginTransaction(IsolationLevel.Unspecified);

    /// <inheritdoc cref="DbConnection.BeginTransaction(IsolationLevel)"/>
    /// <remarks>DuckDB runs every transaction under snapshot isolation; a stronger or weaker level is refused.</remarks>
    public new DuckDbTransaction BeginTransaction(IsolationLevel isolationLevel) =>
        (DuckDbTransaction)BeginDbTransaction(isolationLevel);

    /// <summary>
    /// An appender that bulk-loads rows into an existing table, filling DuckDB's column vectors directly. DuckDB writes
    /// the rows in batches as the appender goes and the rest at its close; for an all-or-nothing load, append inside a
    /// transaction. Each batch is written with an INSERT on the connection, which ends a streaming reader open on it.
    /// </summary>
    public DuckDbAppender CreateAppender(string table) => new(this, schema: null, table);

    /// <inheritdoc cref="CreateAppender(string)"/>
    public DuckDbAppender CreateAppender(string schema, string table) => new(this, schema, table);

    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel)
    {
        if (isolationLevel is not (IsolationLevel.Unspecified or IsolationLevel.Snapshot))
        {
            throw new NotSupportedException(
                $"DuckDB runs transactions under snapshot isolation only; {isolationLevel} is not available. Use IsolationLevel.Snapshot or Unspecified.");
        }

        if (CurrentTransaction is not null)
        {
            throw new InvalidOperationException("The connection already has an open transaction; DuckDB does not nest them.");
        }

        ExecuteNonQueryText("BEGIN TRANSACTION");
        CurrentTransaction = new DuckDbTransaction(this);
        return CurrentTransaction;
    }

    protected override DbCommand CreateDbCommand() => CreateCommand();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Close();
        }

        base.Dispose(disposing);
    }

    /// <summary>Runs SQL that takes no parameters and returns no rows, such as transaction control.</summary>
    internal void ExecuteNonQueryText(string sql)
    {
        using var command = CreateCommand(sql);
        command.ExecuteNonQuery();
    }
}
