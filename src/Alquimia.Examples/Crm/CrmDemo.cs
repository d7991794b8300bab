using System.Globalization;
using Alquimia.Examples.VCredit;
using Alquimia.Projects;
using Alquimia.Warehouse;

namespace Alquimia.Examples.Crm;

/// <summary>
/// <c>alquimia demo --example crm</c>'s library half: puts seed 004's project in a folder and lands data there (30
/// days on the first call, the next day on each later one), and reads back what the dashboard shows for a day.
/// </summary>
public static class CrmDemo
{
    /// <summary>Writes the project when the folder has none, and lands data; returns the newest day landed, the run's date.</summary>
    public static (Project Project, DateOnly Day) Prepare(string directory, int verificationsPerDay, long seed)
    {
        if (!File.Exists(Path.Combine(directory, "alquimia.yml")))
        {
            CrmExample.WriteProjectTo(directory);
        }

        var project = ProjectLoader.Load(directory);
        var options = new CrmGeneratorOptions { VerificationsPerDay = verificationsPerDay, Seed = seed };
        var landing = Path.Combine(project.LakePath, "landing", CrmGenerator.SourceName);
        var day = Directory.Exists(landing) && Directory.EnumerateFiles(landing, "*.parquet", SearchOption.AllDirectories).Any()
            ? CrmGenerator.GenerateNextDay(project.LakePath, options)
            : CrmGenerator.Generate(project.LakePath, options);
        return (project, day);
    }

    /// <summary>The dashboard's cards for <paramref name="day"/>, per organization: verifications, non-conformities and open actions by priority.</summary>
    public static TextTable Metrics(EmbeddedWarehouse warehouse, DateOnly day) => TextTable.Read(warehouse,
        ["organização", "verificações", "não conformes", "controles críticos", "críticos não conformes", "abertas", "vencidas", "S=0", "S=1", "S=2", "S=3", "S=4", "posterior a S=4"],
        """
        SELECT m.organization_id, sum(total_verificacoes), sum(verificacoes_nao_conformes), sum(total_controles_criticos), sum(controles_criticos_nao_conformes),
               any_value(p.total_abertas), any_value(p.vencidas), any_value(p.s_0), any_value(p.s_1), any_value(p.s_2), any_value(p.s_3), any_value(p.s_4), any_value(p.posterior_s4)
        FROM gold.crm_metrics_daily m
        LEFT JOIN gold.crm_action_priorities_daily p ON p.organization_id = m.organization_id AND p.data_referencia = m.data_referencia
        WHERE m.data_referencia = $1
        GROUP BY ALL ORDER BY ALL
        """,
        day);

    /// <summary>The first page of the open actions' listing for <paramref name="day"/>: the most overdue first.</summary>
    public static TextTable OpenActions(EmbeddedWarehouse warehouse, DateOnly day, int pageSize = 10) => TextTable.Read(warehouse,
        ["ação", "organização", "responsável", "vencimento", "status", "tipo"],
        $"""
        SELECT id_action, organization_id, responsavel, strftime(due_date, '%Y-%m-%d'), status, tipo
        FROM gold.crm_actions_open_snapshot WHERE data_snapshot = $1 ORDER BY due_date, id_action LIMIT {pageSize.ToString(CultureInfo.InvariantCulture)}
        """,
        day);
}
