using Alquimia.Projects;

namespace Alquimia.Tests.Projects;

public sealed class ProjectLoaderTests : IDisposable
{
    private readonly ProjectFolder _folder = new(withProjectFile: false);

    public ProjectLoaderTests()
    {
        _folder
            .Write("alquimia.yml", """
                name: vcredit
                warehouse: data/wh.duckdb
                defaults:
                  materialized: view
                max_parallelism: 3
                timeout: 30m
                retries: 2
                retry_backoff: 500ms
                duckdb:
                  memory_limit: 2GB
                  threads: 2
                  storage_version: v1.0.0
                """)
            .Write("sources/postgres_public.yml", """
                name: postgres_public
                description: Supabase da V-Credit
                format: parquet
                tables:
                  - name: chamados
                    description: Chamados abertos
                    primary_key: [id_chamado]
                    columns:
                      - name: id_chamado
                        type: BIGINT
                        description: Identificador
                      - name: valor
                        type: DECIMAL(18,2)
                  - name: clientes
                    primary_key: id_cliente
                """)
            .Write("models/silver/tb_chamado.sql", """
                /* ---
                materialized: incremental
                unique_key: id_chamado
                watermark: _ingestion_timestamp
                lookback: 3 days
                tags: [atendimento, kpi]
                columns:
                  id_chamado: Identificador do chamado
                --- */
                WITH recentes AS (
                    SELECT * FROM bronze.chamados
                ), validos AS (SELECT * FROM recentes WHERE id_chamado IS NOT NULL)
                SELECT * FROM validos
                """)
            .Write("models/silver/tb_cliente.sql", """
                /* ---
                materialized: snapshot
                unique_key: [id_cliente]
                strategy: timestamp
                updated_at: atualizado_em
                --- */
                SELECT * FROM bronze.clientes
                """)
            .Write("models/gold/dm_cliente.sql", "SELECT * FROM silver.tb_cliente\n")
            .Write("models/gold/ft_chamado.sql", """
                /* ---
                materialized: delete_insert
                window: data_referencia >= current_date - 7
                retention: {column: data_referencia, keep: 90 days}
                partition_by: data_referencia
                timeout: 90s
                retries: 1
                columns:
                  - name: data_referencia
                    description: Dia do chamado
                --- */
                SELECT c.*, d.nome
                FROM silver.tb_chamado AS c
                JOIN gold.dm_cliente AS d USING (id_cliente)
                WHERE c.id_cliente IN (SELECT id_cliente FROM silver.tb_cliente WHERE ativo)
                """);
    }

    [Fact]
    public void Load_ReadsTheProjectFileWithItsSettingsAndPathsRelativeToTheFolder()
    {
        var project = _folder.Load();

        Assert.Equal("vcredit", project.Name);
        Assert.Equal(Path.GetFullPath(_folder.Path), project.Directory);
        Assert.Equal(Path.Combine(project.Directory, "data", "wh.duckdb"), project.WarehousePath);
        Assert.Equal(Path.Combine(project.Directory, "lake"), project.LakePath);
        Assert.Equal(MaterializationKind.View, project.Settings.DefaultMaterialization);
        Assert.Equal(3, project.Settings.MaxParallelism);
        Assert.Equal(TimeSpan.FromMinutes(30), project.Settings.ModelTimeout);
        Assert.Equal(2, project.Settings.Retries);
        Assert.Equal(TimeSpan.FromMilliseconds(500), project.Settings.RetryBackoff);
        Assert.Equal("2GB", project.Settings.MemoryLimit);
        Assert.Equal(2, project.Settings.Threads);
        Assert.Equal("v1.0.0", project.Settings.StorageVersion);
    }

    [Fact]
    public void Load_ReadsSourcesWithTablesKeysAndColumns()
    {
        var source = Assert.Single(_folder.Load().Sources);

        Assert.Equal("postgres_public", source.Name);
        Assert.Equal("Supabase da V-Credit", source.Description);
        Assert.Equal(LandingFormat.Parquet, source.Format);
        Assert.Equal(["chamados", "clientes"], source.Tables.Select(table => table.Name));
        var chamados = source.Tables[0];
        Assert.Equal(new Alquimia.Projects.QualifiedName("bronze", "chamados"), chamados.BronzeName);
        Assert.Equal(5, chamados.Line);
        Assert.Equal(["id_chamado"], chamados.PrimaryKey);
        Assert.Equal([new SourceColumn("id_chamado", "BIGINT", "Identificador"), new SourceColumn("valor", "DECIMAL(18,2)", null)], chamados.Columns);
        Assert.Equal(["id_cliente"], source.Tables[1].PrimaryKey);
    }

    [Fact]
    public void Load_ReadsTheSourcesOfTheFolderThatTheSourcesKeyNames()
    {
        _folder.Write("alquimia.yml", File.ReadAllText(Path.Combine(_folder.Path, "alquimia.yml")) + "\nsources: outras_fontes\n")
            .Write("outras_fontes/erp.yml", "name: erp\nformat: csv\ntables:\n  - name: chamados\n  - name: clientes\n");

        var source = Assert.Single(_folder.Load().Sources);

        Assert.Equal("erp", source.Name);
        Assert.Equal(Path.Combine(_folder.Path, "outras_fontes", "erp.yml"), source.FilePath);
    }

    [Fact]
    public void Load_FindsReferencesThroughCtesAndSubqueriesWithoutCteNames()
    {
        var project = _folder.Load();

        Assert.Equal(["gold.dm_cliente", "gold.ft_chamado", "silver.tb_chamado", "silver.tb_cliente"], project.Models.Select(model => model.Name.ToString()));
        Assert.Equal(["bronze.chamados"], Model(project, "silver.tb_chamado").References.Select(name => name.ToString()));
        Assert.Equal(
            ["gold.dm_cliente", "silver.tb_chamado", "silver.tb_cliente"],
            Model(project, "gold.ft_chamado").References.Select(name => name.ToString()));
    }

    [Fact]
    public void Load_ReadsAnIncrementalWithLookback()
    {
        var model = Model(_folder.Load(), "silver.tb_chamado");

        Assert.Equal(MaterializationKind.Incremental, model.Config.Materialized);
        Assert.Equal(["id_chamado"], model.Config.UniqueKey);
        Assert.Equal("_ingestion_timestamp", model.Config.Watermark);
        Assert.Equal("3 days", model.Config.Lookback);
        Assert.Equal(["atendimento", "kpi"], model.Config.Tags);
        Assert.Equal([new ColumnDescription("id_chamado", "Identificador do chamado")], model.Config.Columns);
        Assert.Equal(10, model.SqlLine);
        Assert.StartsWith("WITH recentes AS (", model.Sql, StringComparison.Ordinal);
        Assert.Equal("models/silver/tb_chamado.sql", Path.GetRelativePath(_folder.Path, model.FilePath));
    }

    [Fact]
    public void Load_ReadsADeleteInsertWithWindowRetentionAndOverrides()
    {
        var config = Model(_folder.Load(), "gold.ft_chamado").Config;

        Assert.Equal(MaterializationKind.DeleteInsert, config.Materialized);
        Assert.Equal("data_referencia >= current_date - 7", config.Window);
        Assert.Equal(new RetentionPolicy("data_referencia", "90 days"), config.Retention);
        Assert.Equal(["data_referencia"], config.PartitionBy);
        Assert.Equal(TimeSpan.FromSeconds(90), config.Timeout);
        Assert.Equal(1, config.Retries);
        Assert.Equal([new ColumnDescription("data_referencia", "Dia do chamado")], config.Columns);
    }

    [Fact]
    public void Load_ReadsASnapshotWithTheTimestampStrategy()
    {
        var config = Model(_folder.Load(), "silver.tb_cliente").Config;

        Assert.Equal(MaterializationKind.Snapshot, config.Materialized);
        Assert.Equal(["id_cliente"], config.UniqueKey);
        Assert.Equal(SnapshotStrategy.Timestamp, config.SnapshotStrategy);
        Assert.Equal("atualizado_em", config.UpdatedAt);
    }

    [Fact]
    public void Load_GivesAModelWithoutFrontMatterTheProjectDefault()
    {
        var model = Model(_folder.Load(), "gold.dm_cliente");

        Assert.Equal(MaterializationKind.View, model.Config.Materialized);
        Assert.Equal(1, model.SqlLine);
        Assert.Equal("SELECT * FROM silver.tb_cliente\n", model.Sql);
    }

    [Fact]
    public void Load_DefaultsWarehouseAndLakeToTheProjectFolderAndMaterializationToTable()
    {
        using var minimal = new ProjectFolder().Write("models/silver/a.sql", "SELECT 1 AS x");

        var project = minimal.Load();

        Assert.Equal(Path.Combine(project.Directory, "warehouse.duckdb"), project.WarehousePath);
        Assert.Equal(Path.Combine(project.Directory, "lake"), project.LakePath);
        Assert.Equal(MaterializationKind.Table, Assert.Single(project.Models).Config.Materialized);
        Assert.Empty(project.Models[0].References);
        Assert.Equal("v1.5.0", project.Settings.StorageVersion);
    }

    [Fact]
    public void Load_DoesNotCountTableFunctionsOrFilesReadByPathAsReferences()
    {
        using var folder = new ProjectFolder().Write("models/silver/a.sql", "SELECT * FROM read_parquet('x/*.parquet') UNION ALL SELECT * FROM 'y.csv'");

        Assert.Empty(Assert.Single(folder.Load().Models).References);
    }

    [Fact]
    public void Load_WritesNothingInTheProjectFolder()
    {
        var before = Snapshot();

        _folder.Load();

        Assert.Equal(before, Snapshot());
    }

    private List<string> Snapshot() =>
        Directory.EnumerateFileSystemEntries(_folder.Path, "*", SearchOption.AllDirectories)
            .Select(path => $"{path}|{File.GetLastWriteTimeUtc(path):O}")
            .Order(StringComparer.Ordinal)
            .ToList();

    private static ModelDefinition Model(Project project, string name) =>
        project.FindModel(Alquimia.Projects.QualifiedName.TryParse(name)!) ?? throw new InvalidOperationException(name);

    public void Dispose() => _folder.Dispose();
}
