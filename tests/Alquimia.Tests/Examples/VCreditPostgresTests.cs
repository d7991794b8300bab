using Alquimia.Tests.Orchestration;
using Alquimia.Warehouse.DuckDb;
using Alquimia.Examples.VCredit;
using Alquimia.Orchestration;
using Alquimia.Projects;
using Alquimia.Tests.Warehouse.DuckDb;
using Alquimia.Tests.Ingestion.Postgres;
using Alquimia.Warehouse;
using Npgsql;

namespace Alquimia.Tests.Examples;

/// <summary>
/// The generator's PostgreSQL output and the example's sources_postgres variant, against the landing files and the
/// files variant: the same options must reach the same bronze and the same gold by either road.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class VCreditPostgresTests : IDisposable
{
    private const string ConnectionVariable = "VCREDIT_POSTGRES";

    // More bad and late rows than the defaults, so that every defect and some late chamados occur at this size.
    private static readonly VCreditGeneratorOptions OneDay = new() { Rows = 6_000, Days = 1, Seed = 13, BadRowShare = 0.05, LateRowShare = 0.05 };

    private static readonly string[] s_metadata = ["_ingestion_timestamp", "_batch_id", "_source", "_source_file", "_run_id", "_quarantined_at", "_loaded_at", VCreditPostgresTable.WrittenAtColumn];

    private readonly TempDirectory _directory = new();
    private readonly string _database;

    public VCreditPostgresTests(PostgresServer server)
    {
        _database = server.CreateDatabase();
        Environment.SetEnvironmentVariable(ConnectionVariable, _database);
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(ConnectionVariable, null);
        _directory.Dispose();
    }

    [Fact]
    public async Task PostgresVariant_GivesTheBronzeAndGoldOfTheFiles_OnTheFirstDayAndIncrementallyOnTheNext()
    {
        var files = NewProject("files", postgres: false);
        var postgres = NewProject("postgres", postgres: true);

        var generatedFiles = VCreditGenerator.Generate(files.LakePath, OneDay);
        var generatedTables = VCreditGenerator.GenerateToPostgres(_database, OneDay);
        Assert.Equal(generatedFiles.RowsPerTable, generatedTables.RowsPerTable);
        await RunSucceeding(files);
        await RunSucceeding(postgres);
        AssertSameData(files, postgres);
        Assert.True(PostgresScalar("SELECT count(*) - count(DISTINCT id_chamado) FROM chamados") > 0, "the 'duplicado' defect should be in chamados");

        var newestBefore = PostgresScalar("SELECT extract(epoch FROM max(atualizado_em))::bigint FROM chamados");
        VCreditGenerator.GenerateNextDay(files.LakePath, OneDay);
        var nextDay = VCreditGenerator.GenerateNextDayToPostgres(_database, OneDay);
        var dayTwo = await RunSucceeding(postgres);
        await RunSucceeding(files);

        AssertSameData(files, postgres);
        // Late chamados were written on day two with an atualizado_em older than anything of day one: a cursor on
        // atualizado_em would have missed them, gravado_em does not.
        Assert.True(
            PostgresScalar($"SELECT count(*) FROM chamados WHERE gravado_em >= DATE '{nextDay.Days[0]:yyyy-MM-dd}' AND extract(epoch FROM atualizado_em) < {newestBefore}") > 0,
            "some day-two chamados should be late");
        // The second sync read only what day two wrote: incremental, not the whole table again.
        Assert.Equal(nextDay.RowsPerTable["chamados"], dayTwo.Steps.Single(step => step.Model == "bronze.chamados").RowsInserted);
        Assert.True(nextDay.RowsPerTable["chamados"] < PostgresScalar("SELECT count(*) FROM chamados"));
    }

    [Fact]
    public async Task GenerateToPostgres_OverSeveralDays_HoldsTheLatestVersionOfEachRowOfTheFiles()
    {
        var options = OneDay with { Days = 3 };
        var files = NewProject("files", postgres: false);
        var postgres = NewProject("postgres", postgres: true);
        VCreditGenerator.Generate(files.LakePath, options);
        VCreditGenerator.GenerateToPostgres(_database, options);

        await RunSucceeding(postgres, new RunOptions { Selector = string.Join(' ', postgres.Sources.Single().Tables.Select(table => table.BronzeName.ToString())) });

        // A table holds each row once, in its latest version: the one of the last day the files sent it (for chamados,
        // every row of that day, the duplicated ids included).
        using var connection = Open(postgres);
        var excluded = string.Join(", ", s_metadata.Select(column => $"'{column}'"));
        Assert.All(VCreditPostgresTable.All, table =>
        {
            var key = string.Join(", ", table.Key);
            var latest = table.KeyIsUnique
                ? $"QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY ingestion_date DESC) = 1"
                : $"QUALIFY ingestion_date = max(ingestion_date) OVER (PARTITION BY {key})";
            var expected = connection.Scalar<string>(Checksum($"SELECT * EXCLUDE (ingestion_date) FROM {GeneratedLake.Files(files.LakePath, table.Name)} {latest}"));
            var actual = connection.Scalar<string>(Checksum($"SELECT COLUMNS(c -> c NOT IN ({excluded})) FROM bronze.{table.Name}"));
            Assert.True(expected == actual, $"{table.Name}: latest in the files {expected}, in PostgreSQL {actual}");
        });
        Assert.True(
            connection.Scalar<long>("SELECT count(*) FROM bronze.chamados") < connection.Scalar<long>($"SELECT count(*) FROM {GeneratedLake.Files(files.LakePath, "chamados")}"),
            "chamados sent again on a later day should be in the table once");
    }

    [Fact]
    public void GenerateToPostgres_RefusesTablesThatExist_AndTheNextDayNeedsThem()
    {
        var missing = Assert.Throws<AlquimiaException>(() => VCreditGenerator.GenerateNextDayToPostgres(_database, OneDay, "vazio"));
        Assert.Contains("has no V-Credit chamados in schema vazio", missing.Message, StringComparison.Ordinal);

        VCreditGenerator.GenerateToPostgres(_database, OneDay, "vcredit");
        var again = Assert.Throws<AlquimiaException>(() => VCreditGenerator.GenerateToPostgres(_database, OneDay, "vcredit"));

        Assert.Contains("already has vcredit.atendentes", again.Message, StringComparison.Ordinal);
        Assert.Contains("--next-day", again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_GenerateTo_WritesTheTablesAtAPostgresUrl_AndASecondTimeExitsOneNamingThem()
    {
        var server = new NpgsqlConnectionStringBuilder(_database);
        string[] generate = ["generate", "--to", $"postgres://{server.Username}@{server.Host}:{server.Port}/{server.Database}", "--schema", "cli", "--rows", "500", "--days", "2"];

        var first = await CliProcess.RunAsync(generate);
        var second = await CliProcess.RunAsync(generate);

        Assert.True(first.ExitCode == 0, first.Output + first.Error);
        Assert.Contains($"Wrote schema cli of {server.Host}:{server.Port}/{server.Database} as {server.Username}:", first.Output, StringComparison.Ordinal);
        Assert.Contains("2 day(s) 2026-01-01..2026-01-02, rows:", first.Output, StringComparison.Ordinal);
        Assert.Equal(500, PostgresScalar("SELECT count(DISTINCT id_chamado) FROM cli.chamados"));
        Assert.Equal(1, second.ExitCode);
        Assert.Contains("already has cli.atendentes", second.SingleErrorLine(), StringComparison.Ordinal);
    }

    private Project NewProject(string name, bool postgres)
    {
        var directory = Path.Combine(_directory.Path, name);
        VCreditExample.WriteProjectTo(directory);
        if (postgres)
        {
            // The one step docs describe: uncomment the sources line of alquimia.yml.
            var file = Path.Combine(directory, "alquimia.yml");
            var text = File.ReadAllText(file);
            Assert.Contains("# sources: sources_postgres", text, StringComparison.Ordinal);
            File.WriteAllText(file, text.Replace("# sources: sources_postgres", "sources: sources_postgres", StringComparison.Ordinal));
        }

        var project = ProjectLoader.Load(directory);
        Assert.Equal(postgres ? "postgres" : "files", project.Sources.Single().Type);
        return project;
    }

    private static async Task<RunSummary> RunSucceeding(Project project, RunOptions? options = null)
    {
        var summary = await Runs.RunAsync(project, options ?? new RunOptions());
        Assert.True(summary.Succeeded, string.Join("; ", summary.Steps.Where(step => step.Error is not null).Select(step => $"{step.Model}: {step.Error}")));
        return summary;
    }

    /// <summary>Bronze's source columns, and every silver, gold and curated relation, hold the same rows in both projects.</summary>
    private static void AssertSameData(Project files, Project postgres)
    {
        string[] layers = ["bronze", "silver", "gold", "curated"];
        var expected = Checksums(files, layers, _ => true);
        var actual = Checksums(postgres, layers, _ => true);
        Assert.Equal(expected.Keys, actual.Keys);
        Assert.All(expected, pair => Assert.True(pair.Value == actual[pair.Key], $"{pair.Key}: files {pair.Value}, postgres {actual[pair.Key]}"));
        Assert.Contains("gold.ft_atendimento_geral", expected.Keys);
    }

    /// <summary>
    /// Row count and order-independent checksums of each relation of the layers, without metadata columns and gravado_em.
    /// Bronze's rows are counted once each: a files source does not load again a daily export whose content did not
    /// change (canais, motivos), where a database source's full refresh lands every row at every sync.
    /// </summary>
    private static Dictionary<string, string> Checksums(Project project, IEnumerable<string> schemas, Func<string, bool> include)
    {
        using var connection = Open(project);
        var relations = connection.Query(
            $"SELECT table_schema || '.' || table_name FROM information_schema.tables WHERE table_schema IN ({string.Join(", ", schemas.Select(schema => $"'{schema}'"))}) ORDER BY 1",
            reader => reader.GetString(0)).Where(include);
        var excluded = string.Join(", ", s_metadata.Select(column => $"'{column}'"));
        return relations.ToDictionary(
            relation => relation,
            relation => connection.Scalar<string>(Checksum(
                $"SELECT {(relation.StartsWith("bronze.", StringComparison.Ordinal) ? "DISTINCT " : "")}COLUMNS(c -> c NOT IN ({excluded})) FROM {relation}"))!,
            StringComparer.Ordinal);
    }

    private static string Checksum(string rows) =>
        $"SELECT count(*) || ' rows, ' || coalesce(sum(hash(row) % 1000000007), 0) || ', ' || coalesce(bit_xor(hash(row)), 0) FROM ({rows}) AS row";

    private static CheckedConnection Open(Project project)
    {
        var connection = new CheckedConnection($"Data Source={project.WarehousePath};Memory Limit=2GB");
        connection.Open();
        return connection;
    }

    private long PostgresScalar(string sql)
    {
        using var connection = new NpgsqlConnection(_database);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
