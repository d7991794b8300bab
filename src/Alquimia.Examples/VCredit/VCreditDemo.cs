using System.Globalization;
using Alquimia.Orchestration;
using Alquimia.Projects;
using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Examples.VCredit;

/// <summary>
/// <c>alquimia demo</c>'s library half: puts the V-Credit project in a folder, lands one more day of data there
/// (the first day on the first call, the next day on each later one, so repeated demos run incrementally), and
/// reads back the KPIs the gold layer computed.
/// </summary>
public static class VCreditDemo
{
    /// <summary>Writes the project when the folder has none, and generates a day of landing data.</summary>
    public static (Project Project, VCreditGenerationSummary Generated) Prepare(string directory, long rows, long seed)
    {
        if (!File.Exists(Path.Combine(directory, "alquimia.yml")))
        {
            VCreditExample.WriteProjectTo(directory);
        }

        var project = ProjectLoader.Load(directory);
        var options = new VCreditGeneratorOptions { Rows = rows, Seed = seed, Days = 1 };
        var landing = Path.Combine(project.LakePath, "landing", VCreditGenerator.SourceName);
        var generated = Directory.Exists(landing) && Directory.EnumerateFiles(landing, "*.parquet", SearchOption.AllDirectories).Any()
            ? VCreditGenerator.GenerateNextDay(project.LakePath, options)
            : VCreditGenerator.Generate(project.LakePath, options);
        return (project, generated);
    }

    /// <summary>The daily KPIs of the last days in the warehouse (from curated.vw_kpis_diarios), newest first.</summary>
    public static TextTable DailyKpis(EmbeddedWarehouse warehouse, int days = 7)
    {
        var columns = new[] { "dia", "chamados", "TMA min", "1a resposta min", "FCR %", "SLA %", "CSAT", "NPS", "custo/chamado R$" };
        return TextTable.Read(
            warehouse, columns,
            """
            SELECT strftime(data_referencia, '%Y-%m-%d'), chamados, tma_minutos, primeira_resposta_minutos, fcr_pct, sla_pct, csat_medio, nps, custo_por_chamado
            FROM curated.vw_kpis_diarios ORDER BY data_referencia DESC LIMIT $1
            """,
            days);
    }
}

/// <summary>A small table of text for the CLI to render: column names and rows.</summary>
public sealed record TextTable(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    /// <summary>The rows <paramref name="sql"/> gives, each value as invariant text (NULL as empty), under <paramref name="columns"/>.</summary>
    public static TextTable Read(EmbeddedWarehouse warehouse, IReadOnlyList<string> columns, string sql, params object?[] parameters) =>
        new(columns, warehouse.Read(connection => connection.Query(
            sql,
            reader => (IReadOnlyList<string>)[.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture) ?? "")],
            default, parameters)));
}
