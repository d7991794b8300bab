using Alquimia.Projects;

namespace Alquimia.Tests.Materializations;

public sealed class SnapshotMaterializationTests : IDisposable
{
    private readonly MaterializationFixture _warehouse = new();

    private static readonly ModelDefinition ByCheck = MaterializationFixture.Model(
        "gold.dm_atendente_historico",
        "SELECT id_atendente, equipe, atualizado_em FROM silver.tb_atendente",
        new ModelConfig { Materialized = MaterializationKind.Snapshot, UniqueKey = ["id_atendente"], CheckColumns = ["equipe"] });

    private static readonly ModelDefinition ByTimestamp = ByCheck with
    {
        Config = new ModelConfig { Materialized = MaterializationKind.Snapshot, UniqueKey = ["id_atendente"], SnapshotStrategy = SnapshotStrategy.Timestamp, UpdatedAt = "atualizado_em" },
    };

    public SnapshotMaterializationTests()
    {
        _warehouse.Execute("""
            CREATE TABLE silver.tb_atendente AS SELECT * FROM (VALUES
              (1, 'cobranca', TIMESTAMP '2026-01-01 08:00'), (2, 'cartoes', TIMESTAMP '2026-01-01 08:00')) t(id_atendente, equipe, atualizado_em)
            """);
    }

    public void Dispose() => _warehouse.Dispose();

    [Fact]
    public void Snapshot_CheckStrategy_ClosesTheChangedVersionAtRunStart_AndOpensANewOne()
    {
        _warehouse.Build(ByCheck);
        _warehouse.Execute("UPDATE silver.tb_atendente SET equipe = 'retencao', atualizado_em = '2026-01-05 09:00' WHERE id_atendente = 1");
        _warehouse.RunStartedAt = new DateTimeOffset(2026, 1, 16, 2, 0, 0, TimeSpan.Zero);

        var result = _warehouse.Build(ByCheck);

        Assert.Equal((1, 1), (result.RowsInserted, result.RowsUpdated));
        Assert.Equal(
            [
                "1|cobranca|2026-01-15 02:00|2026-01-16 02:00|False",
                "1|retencao|2026-01-16 02:00|NULL|True",
                "2|cartoes|2026-01-15 02:00|NULL|True",
            ],
            Versions());
    }

    [Fact]
    public void Snapshot_AskedToDropItsHistory_StartsAgainFromTheSource_CountingTheVersionsItDropped()
    {
        _warehouse.Build(ByCheck);
        _warehouse.Execute("UPDATE silver.tb_atendente SET equipe = 'retencao' WHERE id_atendente = 1");
        _warehouse.Build(ByCheck);

        // ModelBuild.FullRefresh on a snapshot is --drop-history: --full-refresh alone never sets it (RunContext).
        var result = _warehouse.Build(ByCheck, fullRefresh: true);

        Assert.Equal((2, 0, 3), (result.RowsInserted, result.RowsUpdated, result.RowsDeleted));
        Assert.Equal(["1|retencao|True", "2|cartoes|True"], _warehouse.Rows("SELECT id_atendente, equipe, is_current FROM gold.dm_atendente_historico ORDER BY 1"));
    }

    [Fact]
    public void Snapshot_TimestampStrategy_DatesVersionsByUpdatedAt()
    {
        _warehouse.Build(ByTimestamp);
        _warehouse.Execute("UPDATE silver.tb_atendente SET equipe = 'retencao', atualizado_em = '2026-01-05 09:00' WHERE id_atendente = 1");
        _warehouse.Execute("INSERT INTO silver.tb_atendente VALUES (3, 'ouvidoria', '2026-01-05 10:00')");

        var result = _warehouse.Build(ByTimestamp);

        Assert.Equal((2, 1), (result.RowsInserted, result.RowsUpdated));
        Assert.Equal(
            [
                "1|cobranca|2026-01-01 08:00|2026-01-05 09:00|False",
                "1|retencao|2026-01-05 09:00|NULL|True",
                "2|cartoes|2026-01-01 08:00|NULL|True",
                "3|ouvidoria|2026-01-05 10:00|NULL|True",
            ],
            Versions());
    }

    [Fact]
    public void Snapshot_RerunWithoutChanges_AddsNoVersion()
    {
        _warehouse.Build(ByCheck);

        var result = _warehouse.Build(ByCheck);

        Assert.Equal((0, 0), (result.RowsInserted, result.RowsUpdated));
        Assert.Equal(2, Versions().Count);
    }

    private List<string> Versions() => _warehouse.Rows(
        """
        SELECT id_atendente, equipe, strftime(valid_from, '%Y-%m-%d %H:%M'), coalesce(strftime(valid_to, '%Y-%m-%d %H:%M'), 'NULL'), is_current
        FROM gold.dm_atendente_historico ORDER BY id_atendente, valid_from
        """);
}
