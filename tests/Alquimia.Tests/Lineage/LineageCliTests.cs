using System.Text.Json.Nodes;
using Alquimia.Examples.VCredit;
using Alquimia.Tests.Warehouse.DuckDb;

namespace Alquimia.Tests.Lineage;

/// <summary><c>alquimia lineage</c> in a child process, on the V-Credit project's files.</summary>
public sealed class LineageCliTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public LineageCliTests() => VCreditExample.WriteProjectTo(_directory.Path);

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Lineage_OfAColumn_PrintsItsSourcesDownToTheSourceTable_AndWhereItGoes()
    {
        var result = await CliProcess.RunAsync(["lineage", "gold.ft_atendimento_geral.tma_minutos", "-p", _directory.Path]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(
            """
            gold.ft_atendimento_geral.tma_minutos (model incremental)
            comes from:
              └── silver.tb_chamado.duracao_atendimento_seg  DIRECT TRANSFORMATION  (model incremental)
                  └── bronze.chamados.duracao_atendimento_seg  DIRECT TRANSFORMATION  (source postgres_public.chamados)
            goes to:
              ├── curated.vw_kpis_canal.tma_minutos  DIRECT AGGREGATION  (model view)
              ├── curated.vw_kpis_diarios.tma_minutos  DIRECT AGGREGATION  (model view)
              ├── gold.ft_custo_operacional.minutos_atendimento  DIRECT AGGREGATION  (model delete_insert)
              │   └── curated.vw_custo_por_motivo.minutos_atendimento  DIRECT AGGREGATION  (model view)
              ├── gold.ft_performance_agente.minutos_atendimento  DIRECT AGGREGATION  (model delete_insert)
              │   └── curated.vw_ranking_agentes.tma_minutos  DIRECT AGGREGATION  (model view)
              └── gold.ft_performance_agente.tma_minutos  DIRECT AGGREGATION  (model delete_insert)

            """.ReplaceLineEndings(), result.Output.ReplaceLineEndings());
    }

    [Fact]
    public async Task Lineage_OfATable_AsJson_ListsTheTablesItReadsAndTheModelsReadingIt()
    {
        var result = await CliProcess.RunAsync(["lineage", "silver.tb_custo_chamado", "--json", "-p", _directory.Path]);

        Assert.True(result.ExitCode == 0, result.Error);
        var json = JsonNode.Parse(result.Output)!;
        Assert.Equal("silver.tb_custo_chamado", json["name"]!.GetValue<string>());
        // bronze.custos_chamado by its SQL, silver.tb_chamado by its expectation that each cost's chamado exists.
        Assert.Equal(["bronze.custos_chamado", "silver.tb_chamado"], json["upstream"]!.AsArray().Select(node => node!["name"]!.GetValue<string>()));
        Assert.Equal("source postgres_public.custos_chamado", json["upstream"]![0]!["kind"]!.GetValue<string>());
        Assert.Contains("gold.ft_atendimento_geral", json["downstream"]!.AsArray().Select(node => node!["name"]!.GetValue<string>()));
        Assert.Empty(json["unresolved"]!.AsArray());
    }

    [Fact]
    public async Task Lineage_OfAnUnknownTableOrColumn_ExitsTwo_NamingItWithASuggestion()
    {
        var table = await CliProcess.RunAsync(["lineage", "gold.ft_atendimento_gerl", "-p", _directory.Path]);
        var column = await CliProcess.RunAsync(["lineage", "gold.ft_atendimento_geral.tma_minuto", "-p", _directory.Path]);

        Assert.Equal(2, table.ExitCode);
        Assert.Contains("'gold.ft_atendimento_gerl' is neither a model nor a source table of project 'vcredit'. Did you mean 'gold.ft_atendimento_geral'?", table.Error, StringComparison.Ordinal);
        Assert.Equal(2, column.ExitCode);
        Assert.Contains("'gold.ft_atendimento_geral' has no column 'tma_minuto'. Did you mean 'tma_minutos'?", column.Error, StringComparison.Ordinal);
    }
}
