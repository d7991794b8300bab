using System.Text.RegularExpressions;
using Alquimia.Deploy.Databricks;
using Alquimia.Examples.Crm;
using Alquimia.Examples.VCredit;
using Alquimia.Projects;
using Alquimia.Tests.Warehouse.DuckDb;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Tests.Deploy;

/// <summary>
/// A model's task on Databricks: its SELECT in the Delta statement of its materialization — views and tables replaced,
/// a delete_insert's window replaced atomically (INSERT … REPLACE WHERE) and its retention deleted — every statement
/// parsed by Spark's grammar, the Databricks-only parts checked by their form.
/// </summary>
public sealed partial class ModelStatementsTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly CheckedConnection _connection = new(new DuckDbSettings());
    private readonly SparkSqlPrinter _printer;

    public ModelStatementsTests()
    {
        _connection.Open();
        _printer = new SparkSqlPrinter(_connection);
    }

    public void Dispose()
    {
        _connection.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public void ADeleteInsert_ReplacesItsWindowAtomically_ThenDeletesPastItsRetention()
    {
        var metrics = Crm().FindModel(new QualifiedName("gold", "crm_metrics_daily"))!;

        var statements = ModelStatements.Of(metrics, _printer);

        Assert.Equal(4, statements.Count);
        Assert.Equal(ModelStatements.UseCatalog, statements[0]);
        Assert.StartsWith("CREATE TABLE IF NOT EXISTS gold.crm_metrics_daily\nUSING DELTA\nCOMMENT 'Métricas do dashboard", statements[1], StringComparison.Ordinal);
        Assert.EndsWith(") AS model\nWHERE false", statements[1], StringComparison.Ordinal);
        Assert.StartsWith("INSERT INTO gold.crm_metrics_daily\nREPLACE WHERE data_referencia >= (CAST(:run_date AS DATE) - 6)\nSELECT * FROM (", statements[2], StringComparison.Ordinal);
        Assert.EndsWith(") AS model\nWHERE data_referencia >= (CAST(:run_date AS DATE) - 6)", statements[2], StringComparison.Ordinal);
        Assert.Equal("DELETE FROM gold.crm_metrics_daily\nWHERE data_referencia < CAST(:run_date AS DATE) - INTERVAL 90 DAYS", statements[3]);
        Assert.Equal([ModelStatements.UseCatalog, "OPTIMIZE gold.crm_metrics_daily", "VACUUM gold.crm_metrics_daily"], ModelStatements.Maintenance(metrics));
    }

    [Fact]
    public void EveryViewTableAndDeleteInsertOfTheExamples_ParsesInSpark()
    {
        var models = Crm().Models.Concat(VCredit().Models)
            .Where(model => model.Config.Materialized is MaterializationKind.View or MaterializationKind.Table or MaterializationKind.DeleteInsert).ToList();
        var statements = models.SelectMany(model => ModelStatements.Of(model, _printer).Select((sql, i) => (Name: $"{model.Name}#{i}", Sql: sql))).ToList();

        // Databricks' own: USE CATALOG and liquid clustering, which Spark's open-source grammar predates, checked by form.
        Assert.All(statements.Where(statement => statement.Sql.StartsWith("USE ", StringComparison.Ordinal)), statement => Assert.Equal(ModelStatements.UseCatalog, statement.Sql));
        var clustered = statements.Where(statement => statement.Sql.Contains("CLUSTER BY", StringComparison.Ordinal)).ToList();
        Assert.Contains(clustered, statement => statement.Name.StartsWith("gold.ft_custo_operacional#", StringComparison.Ordinal));
        Assert.All(clustered, statement => Assert.Matches(@"\nUSING DELTA\nCLUSTER BY \([a-z_]+(, [a-z_]+)*\)\n", statement.Sql));
        var errors = SparkSqlSyntax.Errors(statements.Where(statement => !statement.Sql.StartsWith("USE ", StringComparison.Ordinal))
            .Select(statement => (statement.Name, ClusterBy().Replace(statement.Sql, "\n"))));

        Assert.Equal(13, models.Count);
        Assert.All(errors, result => Assert.True(result.Value.Count == 0, $"{result.Key}: {string.Join("; ", result.Value)}"));
    }

    /// <summary>
    /// Every data test of the examples becomes a statement that counts the rows breaking it, as alquimia test does, and
    /// fails the task by raise_error when the test is an error; all parse under Spark's grammar.
    /// </summary>
    [Fact]
    public void EveryDataTestOfTheExamples_CountsItsFailingRows_AndFailsTheTask()
    {
        var models = Crm().Models.Concat(VCredit().Models).Where(model => model.Config.Tests.Count > 0).ToList();
        var statements = models.SelectMany(model => DataTestStatements.Of(model, _printer).Skip(1).Select((sql, i) => (Name: $"{model.Name}#{i}", Sql: sql))).ToList();
        var unique = DataTestStatements.Of(Crm().FindModel(new QualifiedName("gold", "crm_metrics_daily"))!, _printer)[1];

        Assert.Equal(models.Sum(model => model.Config.Tests.Count), statements.Count);
        Assert.StartsWith("SELECT raise_error(concat('gold.crm_metrics_daily: data test unique(data_referencia, organization_id, location_id)', ' failed on ', failing, ' row(s)')) AS test", unique, StringComparison.Ordinal);
        Assert.Contains("GROUP BY data_referencia, organization_id, location_id\nHAVING count(*) > 1", unique, StringComparison.Ordinal);
        Assert.EndsWith("WHERE failing > 0", unique, StringComparison.Ordinal);
        var errors = SparkSqlSyntax.Errors(statements);
        Assert.All(errors, result => Assert.True(result.Value.Count == 0, $"{result.Key}: {string.Join("; ", result.Value)}"));
    }

    [Fact]
    public void AMaterializationNotDeployedYet_SaysSo()
    {
        var incremental = Crm().FindModel(new QualifiedName("silver", "action"))!;

        var error = Assert.Throws<AlquimiaException>(() => ModelStatements.Of(incremental, _printer));

        Assert.Contains("silver.action is incremental, which alquimia deploy databricks does not write yet", error.Message, StringComparison.Ordinal);
    }

    private Project Crm()
    {
        var folder = Path.Combine(_directory.Path, "crm");
        CrmExample.WriteProjectTo(folder, overwrite: true);
        return ProjectLoader.Load(folder);
    }

    private Project VCredit()
    {
        var folder = Path.Combine(_directory.Path, "vcredit");
        VCreditExample.WriteProjectTo(folder, overwrite: true);
        return ProjectLoader.Load(folder);
    }

    [GeneratedRegex(@"\nCLUSTER BY \([^)]*\)\n")]
    private static partial Regex ClusterBy();
}
