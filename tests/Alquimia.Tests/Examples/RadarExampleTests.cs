using Alquimia.Examples.Radar;
using Alquimia.Orchestration;
using Alquimia.Projects;
using Alquimia.Tests.Ingestion.MySql;
using Alquimia.Tests.Orchestration;
using Alquimia.Tests.Warehouse.DuckDb;
using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;
using MySqlConnector;

namespace Alquimia.Tests.Examples;

/// <summary>
/// Seed 003's Radar sync end to end: the example project, as written by the CLI, run against the generated Radar
/// database in the tests' MariaDB. Every one of its 82 tables lands in seed 003's layout
/// (<c>&lt;root&gt;/radar/&lt;table&gt;/cog_dt_ingestion=YYYY-MM-DD/</c>, Snappy) and in bronze, with the source's rows.
/// </summary>
[Collection(MariaDbTests.Name)]
public sealed class RadarExampleTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly MariaDbServer _server;
    private readonly string _database;

    public RadarExampleTests(MariaDbServer server)
    {
        _server = server;
        _database = new MySqlConnectionStringBuilder(server.CreateDatabase()).Database;
        Environment.SetEnvironmentVariable(RadarExample.ConnectionVariable, new MySqlConnectionStringBuilder(server.ConnectionString) { Database = _database }.ConnectionString);
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(RadarExample.ConnectionVariable, null);
        _directory.Dispose();
    }

    [Fact]
    public async Task TheRadarSync_LandsEveryTableInTheSeedsLayout_WithTheSourcesRows()
    {
        var generated = RadarGenerator.Generate(_server.ConnectionString, stores: 30, _database);
        RadarExample.WriteProjectTo(_directory.Path);
        var file = Path.Combine(_directory.Path, "sources", "radar.yml");
        File.WriteAllText(file, File.ReadAllText(file).Replace("database: radar", $"database: {_database}", StringComparison.Ordinal));
        var project = ProjectLoader.Load(_directory.Path);

        var summary = await Runs.RunAsync(project, new RunOptions { Selector = "source:radar" });

        Assert.True(summary.Succeeded, string.Join("; ", summary.Steps.Where(step => step.Error is not null).Select(step => $"{step.Model}: {step.Error}")));
        Assert.Equal(82, summary.Steps.Count);
        using var warehouse = EmbeddedWarehouse.Open(project, readOnly: true);
        var landing = Path.Combine(_directory.Path, "lake", "bronze_radar", "radar");
        // The example lands only (bronze: false): the Parquet is the product, each table's rows the source's, and no bronze.
        Assert.All(generated.Tables, table => Assert.Equal(table.Rows, warehouse.Connection.Scalar<long>($"SELECT count(*) FROM read_parquet('{Path.Combine(landing, table.Table, "**", "*.parquet")}')")));
        Assert.All(generated.Tables, table => Assert.Equal(table.Rows, summary.Steps.Single(step => step.Model == $"bronze.{table.Table}").RowsInserted));
        Assert.Equal(0L, warehouse.Connection.Scalar<long>("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'bronze'"));
        var folder = Path.Combine(landing, "store");
        var partition = Assert.Single(Directory.GetDirectories(folder));
        Assert.StartsWith("cog_dt_ingestion=", Path.GetFileName(partition), StringComparison.Ordinal);
        var part = Assert.Single(Directory.GetFiles(partition, "*.parquet", SearchOption.AllDirectories));
        Assert.Equal(["SNAPPY"], warehouse.Connection.Query(
            $"SELECT DISTINCT compression FROM parquet_metadata('{part}')", reader => reader.GetString(0)));
    }
}
