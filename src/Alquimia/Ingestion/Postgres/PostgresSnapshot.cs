using Alquimia.Projects;
using Npgsql;

namespace Alquimia.Ingestion.Postgres;

/// <summary>
/// One moment of a PostgreSQL source, shared by every table a run extracts from it: a repeatable-read transaction
/// held open for the run, whose snapshot the tables' own transactions import (<c>SET TRANSACTION SNAPSHOT</c>). An
/// order and its items therefore come from the same instant, even though the tables are read in parallel.
/// </summary>
internal sealed class PostgresSnapshot : ISyncSession
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;

    private PostgresSnapshot(string connectionString, NpgsqlConnection connection, NpgsqlTransaction transaction, string id)
    {
        ConnectionString = connectionString;
        _connection = connection;
        _transaction = transaction;
        Id = id;
    }

    /// <summary>The source's resolved connection string.</summary>
    public string ConnectionString { get; }

    /// <summary>The exported snapshot's name, for <c>SET TRANSACTION SNAPSHOT</c>.</summary>
    public string Id { get; }

    public static PostgresSnapshot Take(SourceDefinition source, CancellationToken cancellationToken)
    {
        var connectionString = PostgresConnectionString.Resolve(source.Name, PostgresOptions.Of(source).Connection);
        var connection = PostgresSource.Open(source, connectionString, cancellationToken);
        try
        {
            var transaction = connection.BeginTransaction(System.Data.IsolationLevel.RepeatableRead);
            using var export = new NpgsqlCommand("SELECT pg_export_snapshot()", connection, transaction);
            var id = (string)export.ExecuteScalar()!;
            return new PostgresSnapshot(connectionString, connection, transaction, id);
        }
        catch (NpgsqlException error)
        {
            connection.Dispose();
            throw PostgresSource.Failed(source, connectionString, error);
        }
    }

    public Extraction Extract(ExtractionRequest request, CancellationToken cancellationToken) => PostgresExtractor.Extract(request, this, cancellationToken);

    public void Dispose()
    {
        _transaction.Dispose();
        _connection.Dispose();
    }
}
