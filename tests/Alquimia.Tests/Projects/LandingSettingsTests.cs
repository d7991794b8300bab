namespace Alquimia.Tests.Projects;

/// <summary>The landing layout's keys, in alquimia.yml and in a database source's file, checked at load.</summary>
public sealed class LandingSettingsTests : IDisposable
{
    private readonly ProjectFolder _folder = new(withProjectFile: false);

    [Fact]
    public void Load_ReportsEachBadLandingKey_WithItsFileAndLine()
    {
        _folder.Write("alquimia.yml", "name: radar\nlanding:\n  partition: cog-dt\n  row_group_size: 100\n");
        _folder.Write("sources/radar.yml", """
            name: radar
            type: postgres
            connection: "Host=127.0.0.1"
            landing:
              root: s3://Radar_Bucket/x
              compression: snapy
              s3:
                endpoint: ftp://store
            tables:
              - name: store
            """);
        _folder.Write("sources/arquivos.yml", "name: arquivos\nformat: csv\nlanding:\n  partition: dt\ntables:\n  - name: a\n");

        var problems = _folder.Problems().OrderBy(problem => problem.FilePath, StringComparer.Ordinal).ThenBy(problem => problem.Line).ToList();

        Assert.True(problems.Count == 6, string.Join("\n", problems.Select(problem => $"{problem.FilePath}:{problem.Line} {problem.Message}")));
        ProjectFolder.AssertProblem(problems[0], "alquimia.yml", 3, "'partition: cog-dt'", "cog_dt_ingestion");
        ProjectFolder.AssertProblem(problems[1], "alquimia.yml", 4, "'row_group_size'", "2048");
        ProjectFolder.AssertProblem(problems[2], Path.Combine("sources", "arquivos.yml"), 3, "'landing'", "files source");
        ProjectFolder.AssertProblem(problems[3], Path.Combine("sources", "radar.yml"), 5, "s3://Radar_Bucket/x", "bucket name");
        ProjectFolder.AssertProblem(problems[4], Path.Combine("sources", "radar.yml"), 6, "'snapy'", "snappy");
        ProjectFolder.AssertProblem(problems[5], Path.Combine("sources", "radar.yml"), 8, "'endpoint: ftp://store'", "http(s)");
    }

    [Fact]
    public void Load_GivesEachDatabaseSourceTheProjectsLanding_UnderItsOwnFolder_ExceptWhatItsFileSets()
    {
        _folder.Write("alquimia.yml", "name: radar\nlanding:\n  root: s3://farmarcas-bronze/origin=airbyte\n  partition: cog_dt_ingestion\n  s3:\n    region: us-east-2\n");
        _folder.Write("sources/radar.yml", "name: radar\ntype: postgres\nconnection: \"Host=x\"\nlanding:\n  compression: zstd\ntables:\n  - name: store\n");
        _folder.Write("sources/crm.yml", "name: crm\ntype: postgres\nconnection: \"Host=x\"\nlanding:\n  root: crm-lake\ntables:\n  - name: conta\n");

        var sources = _folder.Load().Sources.ToDictionary(source => source.Name);

        Assert.Equal("s3://farmarcas-bronze/origin=airbyte/radar", sources["radar"].Landing.Root);
        Assert.Equal(("cog_dt_ingestion", "zstd", "us-east-2"), (sources["radar"].Landing.Partition, sources["radar"].Landing.Compression, sources["radar"].Landing.S3.Region));
        Assert.Equal(Path.Combine(_folder.Path, "crm-lake"), sources["crm"].Landing.Root);
        Assert.Equal(("cog_dt_ingestion", "snappy"), (sources["crm"].Landing.Partition, sources["crm"].Landing.Compression));
    }

    [Fact]
    public void Load_RefusesAnS3LandingRootForACdcSource_NamingTheFix_AndTakesALocalOneOverTheProjects()
    {
        _folder.Write("alquimia.yml", "name: loja\nlanding:\n  root: s3://loja-bronze/landing\n");
        _folder.Write("sources/loja.yml", "name: loja\ntype: postgres_cdc\nconnection: \"Host=x\"\ntables:\n  - name: customers\n");

        var problem = Assert.Single(_folder.Problems());
        _folder.Write("sources/loja.yml", "name: loja\ntype: postgres_cdc\nconnection: \"Host=x\"\nlanding:\n  root: lake/landing\ntables:\n  - name: customers\n");

        ProjectFolder.AssertProblem(problem, Path.Combine("sources", "loja.yml"), 1, "postgres_cdc source does not land in S3 yet (s3://loja-bronze/landing/loja)", "landing: {root: lake/landing}");
        Assert.Equal(Path.Combine(_folder.Path, "lake", "landing"), _folder.Load().Sources.Single().Landing.Root);
    }

    [Fact]
    public void Load_RefusesBronzeFalse_WhereBronzeIsNeeded_AndAModelReadingALandedOnlyTable_EachWithItsFix()
    {
        _folder.Write("alquimia.yml", "name: radar\n");
        _folder.Write("sources/arquivos.yml", "name: arquivos\nformat: csv\nbronze: false\ntables:\n  - name: a\n");
        _folder.Write("sources/loja.yml", "name: loja\ntype: postgres_cdc\nconnection: \"Host=x\"\nlanding:\n  root: lake/landing\nbronze: false\ntables:\n  - name: customers\n");
        _folder.Write("sources/vendas.yml", "name: vendas\ntype: postgres\nconnection: \"Host=x\"\nbronze: false\ntables:\n  - name: pedidos\n    mode: incremental\n    cursor: atualizado_em\n");
        _folder.Write("sources/radar.yml", "name: radar\ntype: mysql\nconnection: \"Server=x\"\ndatabase: radar\nbronze: false\ntables: all\n");
        _folder.Write("sources/contratos.yml", "name: contratos\ntype: mysql\nconnection: \"Server=x\"\ndatabase: c\nbronze: false\nschema_evolution: fail\ntables:\n  - name: contrato\n    columns:\n      - {name: id, type: BIGINT}\n");
        _folder.Write("models/silver/lojas.sql", "SELECT *\nFROM bronze.store");

        var problems = _folder.Problems().OrderBy(problem => problem.FilePath, StringComparer.Ordinal).ThenBy(problem => problem.Line).ToList();

        Assert.True(problems.Count == 6, string.Join("\n", problems.Select(problem => $"{problem.FilePath}:{problem.Line} {problem.Message}")));
        ProjectFolder.AssertProblem(problems[0], Path.Combine("models", "silver", "lojas.sql"), 2, "reads bronze.store, and source 'radar' lands its tables without loading them", "Remove 'bronze: false'");
        ProjectFolder.AssertProblem(problems[1], Path.Combine("sources", "arquivos.yml"), 3, "'bronze: false'", "landed by another tool");
        ProjectFolder.AssertProblem(problems[2], Path.Combine("sources", "contratos.yml"), 6, "'schema_evolution'", "Remove one of them");
        ProjectFolder.AssertProblem(problems[3], Path.Combine("sources", "contratos.yml"), 8, "Table 'contrato'", "declares 'columns'");
        ProjectFolder.AssertProblem(problems[4], Path.Combine("sources", "loja.yml"), 6, "'bronze: false'", "acknowledged to the server when bronze commits them");
        ProjectFolder.AssertProblem(problems[5], Path.Combine("sources", "vendas.yml"), 4, "table 'pedidos' is incremental", "remove its 'mode: incremental'");

        File.Delete(Path.Combine(_folder.Path, "sources/contratos.yml"));
        File.Delete(Path.Combine(_folder.Path, "models/silver/lojas.sql"));
        File.Delete(Path.Combine(_folder.Path, "sources/arquivos.yml"));
        File.Delete(Path.Combine(_folder.Path, "sources/loja.yml"));
        File.Delete(Path.Combine(_folder.Path, "sources/vendas.yml"));
        Assert.False(_folder.Load().Sources.Single().LoadsBronze);
    }

    public void Dispose() => _folder.Dispose();
}
