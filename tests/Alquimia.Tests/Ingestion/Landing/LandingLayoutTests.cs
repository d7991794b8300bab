using Alquimia.Orchestration;
using Alquimia.Tests.Ingestion.Postgres;
using Alquimia.Tests.Orchestration;
using Npgsql;

namespace Alquimia.Tests.Ingestion.Landing;

/// <summary>A database source landing in seed 003's layout: its own root, a cog_dt_ingestion partition, Snappy, small row groups.</summary>
[Collection(PostgresTests.Name)]
public sealed class LandingLayoutTests : PostgresProjectTests
{
    // The project's default for every database source: the partition's name, and a compression the source overrides.
    public LandingLayoutTests(PostgresServer server)
        : base(server, "name: radar\nlanding:\n  partition: cog_dt_ingestion\n  compression: zstd\n")
    {
    }

    [Fact]
    public async Task Sync_LandsInTheSourcesLayout_WithItsCompressionAndRowGroups_AndBronzeReplaysFromIt()
    {
        PostgresServer.Execute(Database, """
            CREATE TABLE store (id int8, nome text);
            INSERT INTO store SELECT i, 'loja ' || i FROM generate_series(1, 5000) AS i;
            """);
        WriteSource(Database);

        var sync = await Sync();

        Assert.True(sync.Succeeded, string.Join("\n", sync.Steps.Select(step => step.Error)));
        var root = Path.Combine(Folder.Path, "radar-lake", "database=bronze_radar");
        var partition = Assert.Single(Directory.GetDirectories(Path.Combine(root, "store")));
        Assert.Matches(@"^cog_dt_ingestion=\d{4}-\d{2}-\d{2}$", Path.GetFileName(partition));
        var file = Assert.Single(Directory.GetFiles(partition));
        Assert.EndsWith(".parquet", file, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(Folder.Path, "lake", "landing", "radar")));
        // DuckDB's own reading of the file's footer: every column chunk Snappy, 5000 rows in row groups of 2048.
        var literal = "'" + file.Replace("'", "''", StringComparison.Ordinal) + "'";
        Assert.Equal(["SNAPPY"], Query($"SELECT DISTINCT compression FROM parquet_metadata({literal})"));
        Assert.Equal(["0:2048", "1:2048", "2:904"], Query($"SELECT DISTINCT row_group_id || ':' || row_group_num_rows FROM parquet_metadata({literal}) ORDER BY 1"));
        Assert.Equal(["5000"], Query("SELECT count(*) FROM bronze.store"));

        // The database out of reach: the replay reads the landing files alone.
        WriteSource(new NpgsqlConnectionStringBuilder(Database) { Port = Storage.S3Server.FreePort(), Timeout = 5 }.ConnectionString);
        var replay = await Sync(replay: true);

        Assert.True(replay.Succeeded, string.Join("\n", replay.Steps.Select(step => step.Error)));
        Assert.Equal(["5000"], Query("SELECT count(*) FROM bronze.store"));
    }

    private void WriteSource(string connection) =>
        Folder.Write("sources/radar.yml", $"""
            name: radar
            type: postgres
            connection: "{connection}"
            landing:
              root: radar-lake/database=bronze_radar
              compression: snappy
              row_group_size: 2048
            tables:
              - name: store
            """);

    private Task<RunSummary> Sync(bool replay = false) =>
        Runs.RunAsync(Folder.Load(), new RunOptions { Selector = "source:radar", Replay = replay });
}
