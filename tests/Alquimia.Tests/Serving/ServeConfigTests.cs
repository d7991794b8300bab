using Alquimia.Projects;
using Alquimia.Tests.Projects;

namespace Alquimia.Tests.Serving;

/// <summary>The <c>serve</c> section of alquimia.yml: API keys, row filters, rates and CORS, read or refused with the line and the fix.</summary>
public sealed class ServeConfigTests : IDisposable
{
    private const string Hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private readonly ProjectFolder _folder = new(withProjectFile: false);

    public ServeConfigTests()
    {
        _folder.Write("sources/crm.yml", "name: crm\nformat: csv\ntables:\n  - name: action\n");
        _folder.Write("models/gold/crm_metrics_daily.sql", "SELECT 'ORG1' AS organization_id, count(*) AS n FROM bronze.action\n");
        _folder.Write("models/gold/crm_actions_open_snapshot.sql", "SELECT 'ORG1' AS organization_id, 1 AS id_action\n");
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Keys_AreRead_WithTheirTablesFiltersAndRates()
    {
        _folder.Write("alquimia.yml", $"""
            name: crm
            serve:
              rate_limit: {"{"}requests: 20, per: 1s{"}"}
              cors:
                origins: [https://crm.example.com, "http://localhost:3000/"]
              api_keys:
                crm_org1:
                  key_env: CRM_KEY_ORG1
                  tables:
                    gold.crm_metrics_daily: organization_id = 'ORG1'
                    gold.*: all
                  rate_limit: {"{"}requests: 600, per: 1m{"}"}
                painel:
                  key_sha256: {Hash.ToUpperInvariant()}
                  tables:
                    gold.crm_actions_open_snapshot: organization_id IN (SELECT 'ORG1' UNION ALL SELECT 'ORG2')
            """);

        var serve = _folder.Load().Serve;

        Assert.Equal(new RateLimitDefinition(20, TimeSpan.FromSeconds(1)), serve.RateLimit);
        Assert.Equal(["https://crm.example.com", "http://localhost:3000"], serve.CorsOrigins);
        var (org1, painel) = (serve.ApiKeys[0], serve.ApiKeys[1]);
        Assert.Equal(("crm_org1", "CRM_KEY_ORG1", (string?)null), (org1.Name, org1.KeyVariable, org1.KeySha256));
        Assert.Equal(new RateLimitDefinition(600, TimeSpan.FromMinutes(1)), org1.RateLimit);
        Assert.Equal(["gold.crm_metrics_daily organization_id = 'ORG1'", "gold.* "], org1.Tables.Select(grant => $"{grant} {grant.RowFilter}"));
        Assert.Equal((Hash, (RateLimitDefinition?)null), (painel.KeySha256, painel.RateLimit));
    }

    [Theory]
    [InlineData("organization_id = 'ORG1') OR (1=1", "is not one SQL condition")]
    [InlineData("organization_id = 'ORG1' --", "is not one SQL condition")]
    [InlineData("organization_id = 'ORG1' ORDER BY 1", "is not one SQL condition")]
    [InlineData("organization_id = 'ORG1' UNION SELECT * FROM gold.crm_metrics_daily", "is not one SQL condition")]
    [InlineData("organization_id = 'ORG1'; DROP TABLE gold.crm_metrics_daily", "holds a ';'")]
    [InlineData("organization_id = ", "is not one SQL condition")]
    public void ARowFilter_ThatIsNotOneCondition_IsRefused(string filter, string reason)
    {
        _folder.Write("alquimia.yml", $"""
            name: crm
            serve:
              api_keys:
                crm_org1:
                  key_env: CRM_KEY_ORG1
                  tables:
                    gold.crm_metrics_daily: "{filter.Replace("\"", "\\\"", StringComparison.Ordinal)}"
            """);

        _folder.SingleProblem("alquimia.yml", 7, "row filter of API key 'crm_org1' on gold.crm_metrics_daily", reason);
    }

    [Theory]
    [InlineData("key_env: K\n      tables:\n        gold.crm_metrics_dayly: all", 7, "gold.crm_metrics_dayly, which is not a model", "Did you mean 'gold.crm_metrics_daily'")]
    [InlineData("key_env: K\n      tables:\n        silver.*: all", 7, "no model in layer silver")]
    [InlineData("key_env: K\n      tables:\n        gold.crm_metrics_daily:", 7, "has no row filter", "gold.crm_metrics_daily: all for every row")]
    [InlineData("key_env: K\n      tables:\n        crm_metrics_daily: all", 7, "is not a table as layer.name")]
    [InlineData("key_env: K\n      key_sha256: " + Hash + "\n      tables:\n        gold.*: all", 4, "exactly one of key_sha256", "never written")]
    [InlineData("tables:\n        gold.*: all", 4, "exactly one of key_sha256")]
    [InlineData("key_sha256: s3cret\n      tables:\n        gold.*: all", 5, "is not a SHA-256", "sha256sum")]
    [InlineData("key_env: K", 4, "grants no table")]
    [InlineData("key_env: K\n      tables:\n        gold.*: all\n      rate_limit: {requests: 0, per: 1s}", 8, "whole number of at least 1")]
    public void AKey_ThatIsWrong_IsRefused_WithTheLineAndTheFix(string body, int line, params string[] fragments)
    {
        _folder.Write("alquimia.yml", $"name: crm\nserve:\n  api_keys:\n    crm_org1:\n      {body}\n");

        var problem = _folder.Problems()[0];
        ProjectFolder.AssertProblem(problem, "alquimia.yml", line, fragments);
    }

    [Fact]
    public void ACorsOrigin_WithAPath_IsRefused()
    {
        _folder.Write("alquimia.yml", "name: crm\nserve:\n  cors:\n    origins: [https://crm.example.com/painel]\n");

        _folder.SingleProblem("alquimia.yml", 4, "'https://crm.example.com/painel'", "is not a web origin", "scheme, host and port only");
    }
}
