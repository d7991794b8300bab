using Alquimia.Examples.Ecommerce;
using Alquimia.Operations;
using Alquimia.Orchestration;
using Alquimia.Projects;
using Alquimia.Tests.Ingestion.Postgres;
using Alquimia.Tests.Orchestration;
using Alquimia.Tests.Warehouse.DuckDb;
using Alquimia.Warehouse.DuckDb;
using Npgsql;
using static Alquimia.Warehouse.DuckDb.SqlText;

namespace Alquimia.Tests.Examples;

/// <summary>
/// Seed 002's e-commerce example in a test: a database of its own on the test server, the project as the CLI writes
/// it, in a folder of its own, and the generator's days. After each day the shop's tables are copied to JSON files
/// (<see cref="OpenOracle"/> reads them back), so that the tests know each row's history from PostgreSQL itself,
/// not from the pipeline. The CDC slot is dropped at the end: a slot holds the server's WAL.
/// </summary>
internal sealed class EcommerceShop : IDisposable
{
    public static readonly EcommerceGeneratorOptions Small = new() { Customers = 60, Products = 20, OrdersPerDay = 80, Seed = 2002 };

    private readonly TempDirectory _directory = new();
    private readonly PostgresServer _server;
    private int _snapshots;

    public EcommerceShop(PostgresServer server, EcommerceGeneratorOptions? options = null)
    {
        _server = server;
        Options = options ?? Small;
        Database = server.CreateDatabase();
        Slot = "alquimia_" + new NpgsqlConnectionStringBuilder(Database).Database;
        Environment.SetEnvironmentVariable(EcommerceExample.ConnectionVariable, Database);
        var folder = Path.Combine(_directory.Path, "ecommerce");
        EcommerceExample.WriteProjectTo(folder);
        // A slot is the server's, not a database's: each test's has a name of its own.
        var source = Path.Combine(folder, "sources", "loja.yml");
        var text = File.ReadAllText(source);
        Assert.Contains("schema: public\n", text, StringComparison.Ordinal);
        File.WriteAllText(source, text.Replace("schema: public\n", $"schema: public\nslot: {Slot}\npublication: {Slot}\n", StringComparison.Ordinal));
        Project = ProjectLoader.Load(folder);
    }

    public EcommerceGeneratorOptions Options { get; }

    /// <summary>The Npgsql connection string of the shop's database.</summary>
    public string Database { get; }

    public string Slot { get; }

    public Project Project { get; }

    public EcommerceGeneration GenerateFirstDay() => Snapshot(EcommerceGenerator.Generate(Database, Project.LakePath, Options));

    public EcommerceGeneration GenerateNextDay() => Snapshot(EcommerceGenerator.GenerateNextDay(Database, Project.LakePath, Options));

    /// <summary><c>alquimia cdc setup</c>: the publication and the slot.</summary>
    public void SetUpChangeCapture() => Assert.Null(ChangeCapture.Setup(Project, null).Single().Error);

    /// <summary>A run of the whole project, which must succeed.</summary>
    public async Task<RunSummary> RunSucceeding()
    {
        var summary = await Runs.RunAsync(Project, new RunOptions());
        Assert.True(summary.Succeeded, string.Join("; ", summary.Steps.Where(step => step.Error is not null).Select(step => $"{step.Model}: {step.Error}")));
        return summary;
    }

    /// <summary>The first column of each row of <paramref name="sql"/> on the shop's database, as PostgreSQL writes it.</summary>
    public List<string> Postgres(string sql) => PostgresServer.Query(Database, sql);

    /// <summary>
    /// The warehouse, with temporary views over the landing files and the shop's history: <c>pedidos_arquivo</c> and
    /// <c>itens_arquivo</c> (every line of the files, the quantity as written, and the file's day, <c>dia</c>), <c>clientes_historico</c> and
    /// <c>produtos_historico</c> (each row of the tables as it stood after each day).
    /// </summary>
    public CheckedConnection OpenOracle()
    {
        var connection = new CheckedConnection($"Data Source={Project.WarehousePath}");
        connection.Open();
        var landing = Path.Combine(Project.LakePath, "landing", "pedidos");
        var snapshots = Path.Combine(_directory.Path, "snapshots");
        connection.Execute($$"""
            CREATE TEMP VIEW pedidos_arquivo AS
            SELECT * EXCLUDE (filename), CAST(regexp_extract(filename, 'ingestion_date=([0-9-]+)', 1) AS DATE) AS dia
            FROM read_json({{Literal(Path.Combine(landing, "orders_raw", "*", "*.json"))}}, format = 'newline_delimited', filename = true,
                columns = {id_pedido: 'BIGINT', id_cliente: 'INTEGER', pedido_em: 'TIMESTAMP', status: 'VARCHAR', forma_pagamento: 'VARCHAR', atualizado_em: 'TIMESTAMP'});
            CREATE TEMP VIEW itens_arquivo AS
            SELECT * EXCLUDE (filename), CAST(regexp_extract(filename, 'ingestion_date=([0-9-]+)', 1) AS DATE) AS dia
            FROM read_json({{Literal(Path.Combine(landing, "order_items_raw", "*", "*.json"))}}, format = 'newline_delimited', filename = true,
                columns = {id_pedido: 'BIGINT', id_item: 'INTEGER', id_produto: 'INTEGER', quantidade: 'VARCHAR', preco_unitario: 'DECIMAL(10,2)'});
            CREATE TEMP VIEW clientes_historico AS SELECT DISTINCT * FROM read_json({{Literal(Path.Combine(snapshots, "*", "customers.json"))}}, format = 'newline_delimited',
                columns = {id_cliente: 'INTEGER', nome: 'VARCHAR', email: 'VARCHAR', cidade: 'VARCHAR', estado: 'VARCHAR', criado_em: 'TIMESTAMP', atualizado_em: 'TIMESTAMP'});
            CREATE TEMP VIEW produtos_historico AS SELECT DISTINCT * FROM read_json({{Literal(Path.Combine(snapshots, "*", "products.json"))}}, format = 'newline_delimited',
                columns = {id_produto: 'INTEGER', nome: 'VARCHAR', categoria: 'VARCHAR', preco: 'DECIMAL(10,2)', criado_em: 'TIMESTAMP', atualizado_em: 'TIMESTAMP'});
            """);
        return connection;
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(EcommerceExample.ConnectionVariable, null);
        PostgresServer.Execute(_server.ConnectionString, $"SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '{Slot}'");
        _directory.Dispose();
    }

    /// <summary>Copies the shop's two tables, as they stand after the day, into the day's snapshot folder.</summary>
    private EcommerceGeneration Snapshot(EcommerceGeneration day)
    {
        var folder = Path.Combine(_directory.Path, "snapshots", $"{++_snapshots:D2}");
        Directory.CreateDirectory(folder);
        foreach (var table in new[] { "customers", "products" })
        {
            File.WriteAllLines(Path.Combine(folder, table + ".json"), Postgres($"SELECT row_to_json(t)::text FROM {table} AS t"));
        }

        return day;
    }
}
