using Alquimia.Materializations;
using Alquimia.Projects;
using Alquimia.Quality;
using Alquimia.Tests.Warehouse.DuckDb;

namespace Alquimia.Tests.Materializations;

/// <summary>_loaded_at, the stamp of the run that last wrote an incremental model's row, and watermark: _loaded_at.</summary>
public sealed class LoadStampTests : IDisposable
{
    private static readonly DateTimeOffset DayOne = new(2026, 1, 15, 2, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset DayTwo = DayOne.AddDays(1);
    private static readonly DateTimeOffset DayThree = DayOne.AddDays(2);

    private readonly MaterializationFixture _warehouse = new();

    /// <summary>Seed 000's silver chamados: a chamado whose cliente has not arrived waits in tb_chamado_invalidos.</summary>
    private static readonly ModelDefinition TbChamado = MaterializationFixture.Model(
        "silver.tb_chamado",
        "SELECT id_chamado, id_cliente, status, atualizado_em FROM bronze.chamados",
        new ModelConfig
        {
            Materialized = MaterializationKind.Incremental, UniqueKey = ["id_chamado"], Watermark = "atualizado_em",
            Expectations = [new Expectation("cliente_existe", "id_cliente IN (SELECT id_cliente FROM silver.tb_cliente)", ExpectationAction.Quarantine, 3)],
        });

    /// <summary>The fact, reading the chamados written into silver since its last build.</summary>
    private static readonly ModelDefinition FtAtendimento = Gold("gold.ft_atendimento", "_loaded_at");

    /// <summary>The same fact by the chamado's own timestamp: what the V-Credit fact did before _loaded_at.</summary>
    private static readonly ModelDefinition FtPorAtualizacao = Gold("gold.ft_por_atualizacao", "atualizado_em");

    public LoadStampTests()
    {
        _warehouse.Execute("""
            CREATE TABLE bronze.chamados (id_chamado BIGINT, id_cliente BIGINT, status VARCHAR, atualizado_em TIMESTAMP);
            CREATE TABLE silver.tb_cliente (id_cliente BIGINT);
            INSERT INTO silver.tb_cliente VALUES (10);
            """);
    }

    public void Dispose() => _warehouse.Dispose();

    [Fact]
    public void ABuild_StampsTheRowsItWrites_AndAnUnchangedRowKeepsItsStamp()
    {
        _warehouse.Execute("INSERT INTO bronze.chamados VALUES (1, 10, 'aberto', '2026-01-01 08:00'), (2, 10, 'aberto', '2026-01-01 09:00')");
        _warehouse.RunStartedAt = DayOne;
        _warehouse.Build(TbChamado);
        // Chamado 2, read again at the watermark, changes; chamado 3 is new.
        _warehouse.Execute("INSERT INTO bronze.chamados VALUES (2, 10, 'resolvido', '2026-01-01 09:00'), (3, 10, 'aberto', '2026-01-02 08:00')");
        _warehouse.RunStartedAt = DayTwo;

        _warehouse.Build(TbChamado);

        Assert.Equal(
            ["1|aberto|2026-01-15 02:00", "2|resolvido|2026-01-16 02:00", "3|aberto|2026-01-16 02:00"],
            _warehouse.Rows("SELECT id_chamado, status, strftime(_loaded_at, '%Y-%m-%d %H:%M') FROM silver.tb_chamado ORDER BY 1"));
    }

    [Fact]
    public void LoadedAtWatermark_ReadsTheRowsWrittenUpstreamSinceItsLastBuild_RowsReleasedFromTheQuarantineIncluded()
    {
        // Day 1: chamado 1 arrives before its cliente 12 and waits in the quarantine.
        _warehouse.Execute("INSERT INTO bronze.chamados VALUES (1, 12, 'aberto', '2026-01-01 08:00'), (2, 10, 'aberto', '2026-01-01 09:00')");
        BuildDay(DayOne);
        Assert.Equal(["2"], _warehouse.Rows("SELECT id_chamado FROM gold.ft_atendimento ORDER BY 1"));

        // Day 2: cliente 12 arrives, releasing chamado 1 with its atualizado_em of day 1; chamado 3 is new, days later.
        _warehouse.Execute("INSERT INTO silver.tb_cliente VALUES (12); INSERT INTO bronze.chamados VALUES (3, 10, 'aberto', '2026-01-05 08:00')");
        var (silver, fact, byTimestamp) = BuildDay(DayTwo);

        Assert.Equal(1, silver.Quality!.RowsReleased);
        Assert.Equal(["1|aberto", "2|aberto", "3|aberto"], _warehouse.Rows("SELECT id_chamado, status FROM gold.ft_atendimento ORDER BY 1"));
        Assert.Equal((2, 0), (fact.RowsInserted, fact.RowsUpdated));
        // What the fact stores is its build's start, the stamp it wrote: every stamp it read is at most that.
        Assert.Equal(
            _warehouse.Rows("SELECT '_loaded_at|' || strftime(max(_loaded_at), '%Y-%m-%d %H:%M:%S.%f') || '|TIMESTAMP' FROM gold.ft_atendimento"),
            [$"{fact.Watermark!.Column}|{fact.Watermark.Value}|{fact.Watermark.Type}"]);
        // The fact's own stamps: chamado 2 was not written again.
        Assert.Equal(
            ["1|2026-01-16 02:00", "2|2026-01-15 02:00", "3|2026-01-16 02:00"],
            _warehouse.Rows("SELECT id_chamado, strftime(_loaded_at, '%Y-%m-%d %H:%M') FROM gold.ft_atendimento ORDER BY 1"));
        // By atualizado_em, the released chamado is behind the watermark, and the fact never gets it.
        Assert.Equal(1, byTimestamp.RowsInserted);
        Assert.Equal(["2", "3"], _warehouse.Rows("SELECT id_chamado FROM gold.ft_por_atualizacao ORDER BY 1"));

        // Day 3: nothing new upstream, so the fact reads and writes nothing.
        var (_, quietFact, _) = BuildDay(DayThree);
        Assert.Equal((0, 0), (quietFact.RowsInserted, quietFact.RowsUpdated));
        Assert.Equal(["0"], _warehouse.Rows("SELECT count(*) FROM gold.ft_atendimento WHERE _loaded_at >= TIMESTAMP '2026-01-17'"));
    }

    [Fact]
    public void LoadedAtWatermark_KeepsAKeysVersionWithTheLatestStamp_InAWholeBuild_ACheckedOne_AndABatch()
    {
        // Two versions of chamado 1 upstream, written by different runs: the later-stamped one is the latest.
        _warehouse.Execute("""
            CREATE TABLE silver.tb_historico (id_chamado BIGINT, status VARCHAR, _loaded_at TIMESTAMP);
            INSERT INTO silver.tb_historico VALUES (1, 'resolvido', '2026-01-14 02:00'), (1, 'aberto', '2026-01-13 02:00'), (2, 'aberto', '2026-01-13 02:00');
            """);
        var plain = Latest("gold.ultimo_status");
        var withRule = Latest("gold.ultimo_status_checado", new Expectation("status_presente", "status IS NOT NULL", ExpectationAction.Quarantine, 3));
        _warehouse.RunStartedAt = DayOne;

        _warehouse.Build(plain);
        _warehouse.Build(withRule);

        string[] expected = ["1|resolvido|2026-01-15 02:00", "2|aberto|2026-01-15 02:00"];
        Assert.Equal(expected, _warehouse.Rows("SELECT id_chamado, status, strftime(_loaded_at, '%Y-%m-%d %H:%M') FROM gold.ultimo_status ORDER BY 1"));
        Assert.Equal(expected, _warehouse.Rows("SELECT id_chamado, status, strftime(_loaded_at, '%Y-%m-%d %H:%M') FROM gold.ultimo_status_checado ORDER BY 1"));
        Assert.Equal(["_loaded_at|TIMESTAMP"], _warehouse.Rows("SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'ultimo_status' AND column_name LIKE '%loaded%'"));

        // A batch with two new versions of chamado 2, from two runs after the last build.
        _warehouse.Execute("INSERT INTO silver.tb_historico VALUES (2, 'cancelado', '2026-01-15 03:00'), (2, 'resolvido', '2026-01-15 04:00')");
        _warehouse.RunStartedAt = DayTwo;
        _warehouse.Build(plain);

        Assert.Equal(["1|resolvido", "2|resolvido"], _warehouse.Rows("SELECT id_chamado, status FROM gold.ultimo_status ORDER BY 1"));
    }

    [Fact]
    public void AWholeBuildRankedByTheUpstreamsStamps_CommitsItsRowsWithoutWritingThemIntoTheWriteAheadLog()
    {
        // DuckDB writes a big table built in a transaction straight into the database file, and the commit only points
        // at it, unless the transaction then changes the table's columns: replacing the query's _loaded_at by adding
        // the column back made every row go through the log at the commit, then be written again by the checkpoint.
        using var directory = new TempDirectory();
        var path = directory.File("warehouse.duckdb");
        using (var onDisk = new MaterializationFixture(path))
        {
            onDisk.Execute("""
                SET checkpoint_threshold = '1GB';
                CREATE TABLE silver.tb_historico AS
                SELECT i // 2 AS id_chamado, CASE WHEN i % 2 = 0 THEN 'aberto' ELSE 'resolvido' END AS status,
                       TIMESTAMP '2026-01-13 02:00' + to_days(i % 2) AS _loaded_at
                FROM range(600000) AS t(i);
                CHECKPOINT;
                """);

            onDisk.Build(Latest("gold.ultimo_status"));

            Assert.InRange(new FileInfo(path + ".wal").Length, 0, 1 << 20);
            Assert.Equal(
                ["300000|0|300000"],
                onDisk.Rows("SELECT count(*), count(*) FILTER (WHERE status <> 'resolvido'), count(DISTINCT id_chamado) FROM gold.ultimo_status"));
            Assert.Equal(
                ["id_chamado", "status", "_loaded_at"],
                onDisk.Rows("SELECT column_name FROM duckdb_columns() WHERE table_name = 'ultimo_status' ORDER BY column_index"));
        }
    }

    [Fact]
    public void Snapshot_CheckStrategyOverEveryColumn_TakesNoNewVersionWhenOnlyTheUpstreamsStampChanged()
    {
        _warehouse.Execute("INSERT INTO bronze.chamados VALUES (1, 10, 'aberto', '2026-01-01 08:00')");
        var snapshot = MaterializationFixture.Model(
            "gold.chamado_historico", "SELECT * FROM silver.tb_chamado", new ModelConfig { Materialized = MaterializationKind.Snapshot, UniqueKey = ["id_chamado"] });
        _warehouse.RunStartedAt = DayOne;
        _warehouse.Build(TbChamado);
        _warehouse.Build(snapshot);
        _warehouse.RunStartedAt = DayTwo;

        _warehouse.Build(TbChamado, fullRefresh: true); // every row of silver gets day 2's stamp
        var result = _warehouse.Build(snapshot);

        Assert.Equal((0, 0), (result.RowsInserted, result.RowsUpdated));
        Assert.Equal(["1|True"], _warehouse.Rows("SELECT id_chamado, is_current FROM gold.chamado_historico"));
    }

    private (MaterializationResult Silver, MaterializationResult Fact, MaterializationResult ByTimestamp) BuildDay(DateTimeOffset start)
    {
        _warehouse.RunStartedAt = start;
        return (_warehouse.Build(TbChamado), _warehouse.Build(FtAtendimento), _warehouse.Build(FtPorAtualizacao));
    }

    private static ModelDefinition Gold(string name, string watermark) => MaterializationFixture.Model(
        name,
        "SELECT id_chamado, status, atualizado_em, _loaded_at FROM silver.tb_chamado",
        new ModelConfig { Materialized = MaterializationKind.Incremental, UniqueKey = ["id_chamado"], Watermark = watermark });

    private static ModelDefinition Latest(string name, params Expectation[] rules) => MaterializationFixture.Model(
        name,
        "SELECT id_chamado, status, _loaded_at FROM silver.tb_historico",
        new ModelConfig { Materialized = MaterializationKind.Incremental, UniqueKey = ["id_chamado"], Watermark = "_loaded_at", Expectations = rules });
}
