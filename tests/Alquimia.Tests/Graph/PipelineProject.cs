using Alquimia.Graph;
using Alquimia.Projects;
using Alquimia.Tests.Projects;

namespace Alquimia.Tests.Graph;

/// <summary>
/// A small V-Credit-shaped project loaded from real files: two sources, silver models, gold dimensions and facts,
/// a curated view, and tags, for selector and level tests.
/// </summary>
internal sealed class PipelineProject : IDisposable
{
    private readonly ProjectFolder _folder = new();

    public PipelineProject()
    {
        _folder
            .Write("sources/postgres_public.yml", "name: postgres_public\nformat: parquet\ntables:\n  - name: chamados\n  - name: clientes\n")
            .Write("sources/planilhas.yml", "name: planilhas\nformat: csv\ntables:\n  - name: metas\n")
            .Write("models/silver/tb_chamado.sql", "SELECT * FROM bronze.chamados")
            .Write("models/silver/tb_cliente.sql", "SELECT * FROM bronze.clientes")
            .Write("models/silver/tb_meta.sql", "/* ---\ntags: [kpi]\n--- */\nSELECT * FROM bronze.metas")
            .Write("models/gold/dm_cliente.sql", "SELECT * FROM silver.tb_cliente")
            .Write("models/gold/tb_meta.sql", "SELECT * FROM silver.tb_meta")
            .Write("models/gold/ft_chamado.sql", "/* ---\ntags: [kpi, atendimento]\n--- */\nSELECT * FROM silver.tb_chamado JOIN gold.dm_cliente USING (id_cliente)")
            .Write("models/curated/vw_kpi.sql", "/* ---\nmaterialized: view\ntags: [kpi]\n--- */\nSELECT * FROM gold.ft_chamado, gold.tb_meta");
        Graph = new PipelineGraph(_folder.Load());
    }

    public PipelineGraph Graph { get; }

    /// <summary>The names <paramref name="selector"/> selects, sorted.</summary>
    public List<string> Selected(string? selector) => Graph.Select(selector).Dag.Nodes.Select(node => node.Name.ToString()).ToList();

    public void Dispose() => _folder.Dispose();
}
