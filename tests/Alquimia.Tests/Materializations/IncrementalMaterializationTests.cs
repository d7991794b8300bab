using Alquimia.Materializations;
using Alquimia.Projects;

namespace Alquimia.Tests.Materializations;

public sealed class IncrementalMaterializationTests : IDisposable
{
    private readonly MaterializationFixture _warehouse = new();

    private static readonly ModelDefinition TbChamado = MaterializationFixture.Model(
        "silver.tb_chamado",
        "SELECT id_chamado, status, atualizado_em FROM bronze.chamados -- trailing comment",
        new ModelConfig { Materialized = MaterializationKind.Incremental, UniqueKey = ["id_chamado"], Watermark = "atualizado_em" });

    public IncrementalMaterializationTests()
    {
        _warehouse.Execute("CREATE TABLE bronze.chamados (id_chamado BIGINT, status VARCHAR, atualizado_em TIMESTAMP)");
    }

    public void Dispose() => _warehouse.Dispose();

    [Fact]
    public void Incremental_FirstBuild_CreatesWholeTable_AndReturnsNewestWatermark()
    {
        _warehouse.Execute("INSERT INTO bronze.chamados VALUES (1, 'aberto', '2026-01-01 10:00'), (2, 'aberto', '2026-01-02 09:00')");

        var result = _warehouse.Build(TbChamado);

        Assert.Equal(2, result.RowsInserted);
        Assert.Equal(new StoredWatermarkShape("atualizado_em", "2026-01-02 09:00:00", "TIMESTAMP"), Shape(result));
        Assert.Equal(["1|aberto", "2|aberto"], _warehouse.Rows("SELECT id_chamado, status FROM silver.tb_chamado ORDER BY 1"));
    }

    [Fact]
    public void Incremental_MergesOnlyRowsPastWatermark_UpdatingChangedAndInsertingNew()
    {
        _warehouse.Execute("INSERT INTO bronze.chamados VALUES (1, 'aberto', '2026-01-01 10:00'), (2, 'aberto', '2026-01-02 09:00')");
        _warehouse.Build(TbChamado);
        // Row 1 changes behind the watermark and is not re-read; row 2 is updated past it; row 3 is new.
        _warehouse.Execute("""
            UPDATE bronze.chamados SET status = 'ignorado' WHERE id_chamado = 1;
            INSERT INTO bronze.chamados VALUES (2, 'resolvido', '2026-01-03 08:00'), (3, 'aberto', '2026-01-03 11:00');
            """);

        var result = _warehouse.Build(TbChamado);

        Assert.Equal((1, 1, 0), (result.RowsInserted, result.RowsUpdated, result.RowsDeleted));
        Assert.Equal(["1|aberto", "2|resolvido", "3|aberto"], _warehouse.Rows("SELECT id_chamado, status FROM silver.tb_chamado ORDER BY 1"));
        Assert.Equal("2026-01-03 11:00:00", result.Watermark!.Value);
        // What the build's data tests read: the rows from the stored watermark (2026-01-02 09:00) on.
        Assert.Equal(["2", "3"], _warehouse.Rows($"SELECT id_chamado FROM silver.tb_chamado WHERE {result.WrittenRows} ORDER BY 1"));
    }

    [Fact]
    public void Incremental_AChangedWatermarkColumn_ReadsEveryRow_ThenKeepsTheNewColumnsWatermark()
    {
        _warehouse.Execute("INSERT INTO bronze.chamados VALUES (1, 'aberto', '2026-01-05 10:00')");
        _warehouse.Build(TbChamado);
        _warehouse.Execute("INSERT INTO bronze.chamados VALUES (2, 'aberto', '2026-01-03 10:00')");
        // The new watermark runs ten days behind the old one: bounded by the old one's value, it would read nothing.
        var received = TbChamado with
        {
            Sql = "SELECT id_chamado, status, atualizado_em, atualizado_em - INTERVAL 10 DAY AS recebido_em FROM bronze.chamados",
            Config = TbChamado.Config with { Watermark = "recebido_em" },
        };

        var result = _warehouse.Build(received);

        Assert.Equal(["1|2025-12-26 10:00:00", "2|2025-12-24 10:00:00"], _warehouse.Rows("SELECT id_chamado, strftime(recebido_em, '%Y-%m-%d %H:%M:%S') FROM silver.tb_chamado ORDER BY 1"));
        Assert.Equal(new StoredWatermarkShape("recebido_em", "2025-12-26 10:00:00", "TIMESTAMP"), Shape(result));
    }

    [Fact]
    public void Incremental_RerunOnSameInput_ChangesNothing()
    {
        _warehouse.Execute("INSERT INTO bronze.chamados VALUES (1, 'aberto', '2026-01-01 10:00'), (2, 'aberto', '2026-01-02 09:00')");
        _warehouse.Build(TbChamado);
        var before = _warehouse.Rows("SELECT * FROM silver.tb_chamado ORDER BY ALL");

        var result = _warehouse.Build(TbChamado);

        Assert.Equal((0, 0), (result.RowsInserted, result.RowsUpdated));
        Assert.Equal(before, _warehouse.Rows("SELECT * FROM silver.tb_chamado ORDER BY ALL"));
    }

    [Fact]
    public void Incremental_DeduplicatesSourceOnKey_LatestWatermarkWins()
    {
        _warehouse.Execute("""
            INSERT INTO bronze.chamados VALUES
              (7, 'aberto', '2026-01-01 10:00'), (7, 'resolvido', '2026-01-01 12:00'), (7, 'em_atendimento', '2026-01-01 11:00')
            """);

        _warehouse.Build(TbChamado);
        _warehouse.Execute("INSERT INTO bronze.chamados VALUES (7, 'reaberto', '2026-01-02 10:00'), (7, 'cancelado', '2026-01-02 09:00')");
        var result = _warehouse.Build(TbChamado);

        Assert.Equal(1, result.RowsUpdated);
        Assert.Equal(["7|reaberto"], _warehouse.Rows("SELECT id_chamado, status FROM silver.tb_chamado"));
    }

    [Fact]
    public void Incremental_VersionsTiedOnTheWatermark_AreDecidedByTheirValues_NotByTheirOrderOrTheWatermarkItself()
    {
        // Two warehouses get the same tied versions in opposite orders, and with another watermark value.
        using var other = new MaterializationFixture();
        other.Execute("CREATE TABLE bronze.chamados (id_chamado BIGINT, status VARCHAR, atualizado_em TIMESTAMP)");
        var statuses = new[] { "aberto", "resolvido", "cancelado", "em_atendimento", "reaberto" };
        // Each key's candidates differ (the status carries the id), so each key is a draw of its own.
        var versions = Enumerable.Range(1, 40).SelectMany(id => statuses.Select(status => $"({id}, '{status}-{id}', TIMESTAMP '2026-01-01 10:00')")).ToList();
        _warehouse.Execute($"INSERT INTO bronze.chamados VALUES {string.Join(", ", versions)}");
        versions.Reverse();
        other.Execute($"INSERT INTO bronze.chamados VALUES {string.Join(", ", versions).Replace("2026-01-01 10:00", "2026-03-09 17:45", StringComparison.Ordinal)}");

        _warehouse.Build(TbChamado);
        other.Build(TbChamado);

        var picked = _warehouse.Rows("SELECT id_chamado, status FROM silver.tb_chamado ORDER BY 1");
        Assert.Equal(picked, other.Rows("SELECT id_chamado, status FROM silver.tb_chamado ORDER BY 1"));
        Assert.Equal(40, picked.Count);
    }

    [Fact]
    public void Incremental_RereadsLookbackWindow_WhenLateRowsArrive()
    {
        var withLookback = TbChamado with { Config = TbChamado.Config with { Lookback = "2 days" } };
        _warehouse.Execute("INSERT INTO bronze.chamados VALUES (1, 'aberto', '2026-01-10 10:00')");
        _warehouse.Build(withLookback);
        // Both arrive late: one a day behind the watermark (inside the lookback), one five days behind (outside).
        _warehouse.Execute("INSERT INTO bronze.chamados VALUES (2, 'aberto', '2026-01-09 10:00'), (3, 'aberto', '2026-01-05 10:00')");

        var result = _warehouse.Build(withLookback);

        Assert.Equal(1, result.RowsInserted);
        Assert.Equal(["1", "2"], _warehouse.Rows("SELECT id_chamado FROM silver.tb_chamado ORDER BY 1"));
        Assert.Equal("2026-01-10 10:00:00", result.Watermark!.Value);

        _warehouse.Build(withLookback, fullRefresh: true);
        Assert.Equal(["1", "2", "3"], _warehouse.Rows("SELECT id_chamado FROM silver.tb_chamado ORDER BY 1"));
    }

    [Fact]
    public void Incremental_WithoutLookback_MissesLateRows()
    {
        _warehouse.Execute("INSERT INTO bronze.chamados VALUES (1, 'aberto', '2026-01-10 10:00')");
        _warehouse.Build(TbChamado);
        _warehouse.Execute("INSERT INTO bronze.chamados VALUES (2, 'aberto', '2026-01-09 10:00')");

        var result = _warehouse.Build(TbChamado);

        Assert.Equal(0, result.RowsInserted);
        Assert.Equal(["1"], _warehouse.Rows("SELECT id_chamado FROM silver.tb_chamado"));
    }

    [Fact]
    public void Incremental_AWholeBuild_KeepsTheLatestVersionOfEveryRepeatedKey_NullKeysAsOneKey_InPartitionOrder()
    {
        _warehouse.Execute("""
            INSERT INTO bronze.chamados VALUES
                (3, 'aberto', '2026-01-03 10:00'), (1, 'aberto', '2026-01-01 10:00'), (1, 'resolvido', '2026-01-04 08:00'),
                (NULL, 'sem id', '2026-01-01 10:00'), (NULL, 'sem id, de novo', '2026-01-02 10:00'), (2, 'aberto', '2026-01-02 09:00'),
                (3, 'cancelado', '2026-01-01 07:00');
            """);
        var partitioned = TbChamado with { Config = TbChamado.Config with { PartitionBy = ["atualizado_em"] } };

        var result = _warehouse.Build(partitioned, fullRefresh: true);

        Assert.Equal(4, result.RowsInserted);
        Assert.Equal(
            ["2|aberto", "NULL|sem id, de novo", "3|aberto", "1|resolvido"],
            _warehouse.Rows("SELECT id_chamado, status FROM silver.tb_chamado ORDER BY rowid"));
    }

    [Fact]
    public void Incremental_ABatchWithRepeatedKeys_KeepsTheVersionsAWholeBuildKeeps()
    {
        // The batch is written whole, then only its repeated keys are ranked: tied watermarks, NULL keys and a key
        // that changes must come out as a full refresh over the same rows picks them.
        _warehouse.Execute("INSERT INTO bronze.chamados VALUES (1, 'aberto', '2026-01-01 10:00'), (5, 'aberto', '2026-01-01 10:00')");
        _warehouse.Build(TbChamado);
        _warehouse.Execute("""
            INSERT INTO bronze.chamados VALUES
                (5, 'resolvido', '2026-01-02 10:00'), (5, 'cancelado', '2026-01-02 10:00'), (5, 'reaberto', '2026-01-02 10:00'),
                (NULL, 'sem id', '2026-01-02 11:00'), (NULL, 'sem id, de novo', '2026-01-02 12:00'),
                (8, 'aberto', '2026-01-02 09:00'), (8, 'em_atendimento', '2026-01-02 09:30'), (9, 'aberto', '2026-01-02 08:00');
            """);

        var result = _warehouse.Build(TbChamado);
        var incremental = _warehouse.Rows("SELECT id_chamado, status FROM silver.tb_chamado ORDER BY ALL");
        _warehouse.Build(TbChamado, fullRefresh: true);

        Assert.Equal((3, 1), (result.RowsInserted, result.RowsUpdated));
        Assert.Equal(5, incremental.Count);
        Assert.Contains("8|em_atendimento", incremental);
        Assert.Contains("NULL|sem id, de novo", incremental);
        Assert.Equal(_warehouse.Rows("SELECT id_chamado, status FROM silver.tb_chamado ORDER BY ALL"), incremental);
    }

    [Fact]
    public void Incremental_NullKeys_AreNotDuplicatedOnRerun()
    {
        _warehouse.Execute("INSERT INTO bronze.chamados VALUES (NULL, 'sem id', '2026-01-01 10:00')");
        _warehouse.Build(TbChamado);

        _warehouse.Build(TbChamado);

        Assert.Equal(["NULL|sem id"], _warehouse.Rows("SELECT id_chamado, status FROM silver.tb_chamado"));
    }

    [Fact]
    public void Incremental_ACompositeKeyPartlyNull_MergesChangedAndNewRows_AndAddsNothingOnRerun()
    {
        // Logs keyed on (id_chamado, sequencia): the merge's insert finds the keys the batch shares with the table
        // first, then keeps the batch rows outside them; a NULL in a key matches a NULL.
        _warehouse.Execute("""
            CREATE TABLE bronze.logs (id_chamado BIGINT, sequencia INTEGER, evento VARCHAR, atualizado_em TIMESTAMP);
            INSERT INTO bronze.logs VALUES
                (1, 1, 'aberto', '2026-01-01 10:00'), (1, 2, 'transferido', '2026-01-01 11:00'), (NULL, 1, 'sem chamado', '2026-01-01 12:00');
            """);
        var logs = MaterializationFixture.Model(
            "silver.tb_chamado_log",
            "SELECT id_chamado, sequencia, evento, atualizado_em FROM bronze.logs",
            new ModelConfig { Materialized = MaterializationKind.Incremental, UniqueKey = ["id_chamado", "sequencia"], Watermark = "atualizado_em" });
        _warehouse.Build(logs);
        _warehouse.Execute("""
            INSERT INTO bronze.logs VALUES
                (1, 2, 'escalonado', '2026-01-02 09:00'), (2, 1, 'aberto', '2026-01-02 10:00'),
                (NULL, 1, 'sem chamado', '2026-01-02 11:00'), (NULL, 2, 'sem chamado, outro', '2026-01-02 12:00');
            """);

        var merged = _warehouse.Build(logs);
        var rerun = _warehouse.Build(logs);

        // (1, 2) and (NULL, 1) changed (their atualizado_em at least); (2, 1) and (NULL, 2) are new.
        Assert.Equal((2, 2), (merged.RowsInserted, merged.RowsUpdated));
        Assert.Equal((0, 0), (rerun.RowsInserted, rerun.RowsUpdated));
        Assert.Equal(
            ["1|1|aberto", "1|2|escalonado", "2|1|aberto", "NULL|1|sem chamado", "NULL|2|sem chamado, outro"],
            _warehouse.Rows("SELECT id_chamado, sequencia, evento FROM silver.tb_chamado_log ORDER BY 1 NULLS LAST, 2"));
    }

    [Fact]
    public void Incremental_AddsNewColumnsToTheTable_OldRowsNull()
    {
        _warehouse.Execute("INSERT INTO bronze.chamados VALUES (1, 'aberto', '2026-01-01 10:00')");
        _warehouse.Build(TbChamado);
        _warehouse.Execute("ALTER TABLE bronze.chamados ADD COLUMN prioridade VARCHAR; INSERT INTO bronze.chamados VALUES (2, 'aberto', '2026-01-02 10:00', 'alta')");
        var widened = TbChamado with { Sql = "SELECT id_chamado, status, atualizado_em, prioridade FROM bronze.chamados" };

        var result = _warehouse.Build(widened);

        Assert.Equal(["1|NULL", "2|alta"], _warehouse.Rows("SELECT id_chamado, prioridade FROM silver.tb_chamado ORDER BY 1"));
        // Row 1 changed too (its prioridade is new): the build's data tests read the whole table.
        Assert.Null(result.WrittenRows);
    }

    [Fact]
    public void Incremental_ChangedColumnType_FailsNamingColumnAndBothTypes_AndKeepsTheTable()
    {
        _warehouse.Execute("INSERT INTO bronze.chamados VALUES (1, 'aberto', '2026-01-01 10:00')");
        _warehouse.Build(TbChamado);
        var retyped = TbChamado with { Sql = "SELECT id_chamado, length(status) AS status, atualizado_em FROM bronze.chamados" };

        var error = Assert.Throws<SchemaChangeException>(() => _warehouse.Build(retyped));

        Assert.Contains("'status' is VARCHAR in silver.tb_chamado but the query now returns BIGINT", error.Message, StringComparison.Ordinal);
        Assert.Contains("--full-refresh", error.Message, StringComparison.Ordinal);
        Assert.Equal(["1|aberto"], _warehouse.Rows("SELECT id_chamado, status FROM silver.tb_chamado"));
    }

    [Fact]
    public void Incremental_WatermarkMissingFromOutput_FailsNamingIt()
    {
        var wrong = TbChamado with { Config = TbChamado.Config with { Watermark = "_ingestion_timestamp" } };

        var error = Assert.Throws<AlquimiaException>(() => _warehouse.Build(wrong));

        Assert.Contains("watermark '_ingestion_timestamp'", error.Message, StringComparison.Ordinal);
        Assert.Contains("id_chamado, status, atualizado_em", error.Message, StringComparison.Ordinal);
    }

    private static StoredWatermarkShape Shape(MaterializationResult result) =>
        new(result.Watermark!.Column, result.Watermark.Value, result.Watermark.Type);

    private sealed record StoredWatermarkShape(string Column, string Value, string Type);
}
