using Alquimia.Examples.VCredit;
using Alquimia.Tests.Warehouse.DuckDb;

namespace Alquimia.Tests.Examples;

public sealed class VCreditExampleTests
{
    private static readonly string[] s_models =
    [
        "silver/tb_atendente", "silver/tb_cliente", "silver/tb_canal", "silver/tb_motivo", "silver/tb_custo_chamado",
        "silver/tb_pesquisa", "silver/tb_chamado_log", "silver/tb_chamado",
        "gold/dm_atendente", "gold/dm_cliente", "gold/dm_canal", "gold/dm_motivo", "gold/dm_atendente_historico",
        "gold/ft_atendimento_geral", "gold/ft_custo_operacional", "gold/ft_performance_agente",
        "curated/vw_kpis_diarios", "curated/vw_kpis_canal", "curated/vw_ranking_agentes", "curated/vw_nps_mensal",
        "curated/vw_custo_por_motivo",
    ];

    [Fact]
    public void Files_HoldTheProjectTheSourceAndEveryModel()
    {
        var expected = s_models.Select(model => $"models/{model}.sql")
            .Append("alquimia.yml")
            .Append("sources/postgres_public.yml")
            .Append("sources_postgres/postgres_public.yml")
            .Order(StringComparer.Ordinal);
        Assert.Equal(expected, VCreditExample.Files);
    }

    [Fact]
    public void WriteProjectTo_WritesEveryFile()
    {
        using var directory = new TempDirectory();

        var written = VCreditExample.WriteProjectTo(Path.Combine(directory.Path, "vcredit"));

        Assert.Equal(VCreditExample.Files.Count, written.Count);
        foreach (var file in VCreditExample.Files)
        {
            var path = Path.Combine(directory.Path, "vcredit", file);
            Assert.True(File.Exists(path), path);
            Assert.Equal(VCreditExample.ReadFile(file), File.ReadAllText(path));
        }

        Assert.Contains("name: vcredit", File.ReadAllText(Path.Combine(directory.Path, "vcredit", "alquimia.yml")), StringComparison.Ordinal);
    }

    [Fact]
    public void WriteProjectTo_KeepsExistingFiles_UnlessAskedToOverwrite()
    {
        using var directory = new TempDirectory();
        var project = Path.Combine(directory.Path, "alquimia.yml");
        File.WriteAllText(project, "name: meu_projeto\n");

        var written = VCreditExample.WriteProjectTo(directory.Path);

        Assert.Equal(VCreditExample.Files.Count - 1, written.Count);
        Assert.Equal("name: meu_projeto\n", File.ReadAllText(project));

        VCreditExample.WriteProjectTo(directory.Path, overwrite: true);
        Assert.Contains("name: vcredit", File.ReadAllText(project), StringComparison.Ordinal);
    }

    [Fact]
    public void EveryModel_IsOneSelectAfterItsYamlBlock()
    {
        foreach (var model in s_models)
        {
            var text = VCreditExample.ReadFile($"models/{model}.sql");
            Assert.StartsWith("/* ---\n", text, StringComparison.Ordinal);
            var body = text[(text.IndexOf("--- */\n", StringComparison.Ordinal) + 7)..];
            Assert.Contains("description:", text, StringComparison.Ordinal);
            Assert.DoesNotContain(";", body, StringComparison.Ordinal);
            Assert.Matches(@"^(SELECT|WITH)\b", body);
            Assert.DoesNotMatch(@"(?i)\b(now|random|current_date|current_timestamp|today|gen_random_uuid)\b", body);
        }
    }

    [Fact]
    public void TheSeedsAlerts_CommentedInAlquimiaYml_LoadOnceUncommented()
    {
        using var directory = new TempDirectory();
        VCreditExample.WriteProjectTo(directory.Path);
        CommentedAlerts.Uncomment(directory.Path);

        var rules = Alquimia.Projects.ProjectLoader.Load(directory.Path).Alerts.Rules;

        Assert.Equal(["pipeline_falhou", "bronze_vazio", "invalidos_acima_de_5", "execucao_longa"], rules.Select(rule => rule.Name));
    }
}
