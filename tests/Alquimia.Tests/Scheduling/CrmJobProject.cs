using Alquimia.Tests.Projects;

namespace Alquimia.Tests.Scheduling;

/// <summary>Seed 004's daily job, small: crm_metrics_daily for each run date, at 06:00 in São Paulo.</summary>
internal static class CrmJobProject
{
    public static ProjectFolder WriteCrmJob(this ProjectFolder folder) => folder
        .Write("alquimia.yml", """
            name: crm
            timezone: America/Sao_Paulo
            jobs:
              - name: diario
                select: gold.crm_metrics_daily
                schedule: "0 6 * * *"
                retries: 2
            """)
        .Write("models/gold/crm_metrics_daily.sql", "SELECT run_date() AS data_referencia, 1 AS n\n");
}
