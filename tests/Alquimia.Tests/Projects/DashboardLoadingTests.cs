using Alquimia.Examples.Crm;
using Alquimia.Examples.VCredit;
using Alquimia.Projects;
using Alquimia.Tests.Warehouse.DuckDb;

namespace Alquimia.Tests.Projects;

/// <summary>
/// The <c>dashboard</c> of alquimia.yml: its charts and listings as read, defaults included, and every mistake
/// reported at load with its line and the fix, including a table that is not a model and a column the model does not describe.
/// </summary>
public sealed class DashboardLoadingTests : IDisposable
{
    private const string Model = """
        /* ---
        columns:
          dia: Dia
          loja: Loja
          vendas: Vendas do dia
        --- */
        SELECT DATE '2026-01-01' AS dia, 'A' AS loja, 1 AS vendas

        """;

    private readonly ProjectFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Dashboard_IsRead_WithItsDefaults()
    {
        var project = _folder.Write("models/gold/ft_vendas.sql", Model).Write("alquimia.yml", """
            name: teste
            dashboard:
              charts:
                - title: Vendas por dia
                  table: gold.ft_vendas
                  x: dia
                  y: vendas
                - title: Vendas por loja
                  table: gold.ft_vendas
                  x: dia
                  y: [vendas]
                  series: loja
                  kind: bar
                  stacked: true
                  max_rows: 100
              tables:
                - title: Vendas
                  table: gold.ft_vendas
                  columns: [dia, vendas]
                  order: [-dia, loja]
                  page_size: 5
            """).Load();

        var (first, second) = (project.Dashboard.Charts[0], project.Dashboard.Charts[1]);
        Assert.Equal(("Vendas por dia", "gold.ft_vendas", "dia", "vendas", ChartKind.Line, null, false, DashboardChart.DefaultMaxRows, 4),
            (first.Title, first.Table.ToString(), first.X, string.Join(',', first.Y), first.Kind, first.Series, first.Stacked, first.MaxRows, first.Line));
        Assert.Equal((ChartKind.Bar, "loja", true, 100), (second.Kind, second.Series, second.Stacked, second.MaxRows));
        var listing = Assert.Single(project.Dashboard.Tables);
        Assert.Equal(("Vendas", "dia,vendas", "-dia,loja", 5), (listing.Title, string.Join(',', listing.Columns), listing.Order, listing.PageSize));
    }

    [Fact]
    public void NoDashboard_IsAnEmptyOne()
    {
        var project = _folder.Write("models/gold/ft_vendas.sql", Model).Load();

        Assert.Same(DashboardDefinition.None, project.Dashboard);
    }

    [Fact]
    public void AChartOfATableThatIsNotAModel_IsAProblem_ThatSuggestsTheModel()
    {
        _folder.Write("models/gold/ft_vendas.sql", Model).Write("alquimia.yml", """
            name: teste
            dashboard:
              charts:
                - title: Vendas por dia
                  table: gold.ft_venda
                  x: dia
                  y: vendas
            """);

        _folder.SingleProblem("alquimia.yml", 4, "Dashboard chart 'Vendas por dia' reads gold.ft_venda, which is not a model of the project.", "Did you mean 'gold.ft_vendas'?");
    }

    [Fact]
    public void AColumnTheModelDoesNotDescribe_IsAProblem_ThatSuggestsTheColumn()
    {
        _folder.Write("models/gold/ft_vendas.sql", Model).Write("alquimia.yml", """
            name: teste
            dashboard:
              tables:
                - title: Vendas
                  table: gold.ft_vendas
                  order: -dias
            """);

        _folder.SingleProblem("alquimia.yml", 4, "Dashboard listing 'Vendas' names column 'dias', which gold.ft_vendas does not describe", "Did you mean 'dia'?");
    }

    [Fact]
    public void EveryMistakeOfAChart_IsReportedTogether_WithItsLine()
    {
        _folder.Write("models/gold/ft_vendas.sql", Model).Write("alquimia.yml", """
            name: teste
            dashboard:
              charts:
                - title: Vendas
                  table: ft_vendas
                  x: dia
                  kind: pie
                  max_rows: 1000000
                  colour: red
                - just a title
              tabelas: []
            """);

        var problems = _folder.Problems().OrderBy(problem => problem.Line).ThenBy(problem => problem.Message, StringComparer.Ordinal).ToList();

        Assert.Collection(problems,
            problem => ProjectFolder.AssertProblem(problem, "alquimia.yml", 4, "'y' is missing from dashboard chart 'Vendas'"),
            problem => ProjectFolder.AssertProblem(problem, "alquimia.yml", 5, "'table: ft_vendas'", "write layer.name"),
            problem => ProjectFolder.AssertProblem(problem, "alquimia.yml", 7, "'kind' in dashboard chart 'Vendas' of alquimia.yml is 'pie', which is not one of: line, bar."),
            problem => ProjectFolder.AssertProblem(problem, "alquimia.yml", 8, "'max_rows'", "over the 50,000"),
            problem => ProjectFolder.AssertProblem(problem, "alquimia.yml", 9, "Unknown key 'colour'"),
            problem => ProjectFolder.AssertProblem(problem, "alquimia.yml", 10, "Each entry of 'dashboard.charts'", "not a single value"),
            problem => ProjectFolder.AssertProblem(problem, "alquimia.yml", 11, "Unknown key 'tabelas'", "Did you mean 'tables'?"));
    }

    [Fact]
    public void TheExamples_DeclareChartsOfTheirGoldTables()
    {
        using var directory = new TempDirectory();
        CrmExample.WriteProjectTo(Path.Combine(directory.Path, "crm"));
        VCreditExample.WriteProjectTo(Path.Combine(directory.Path, "vcredit"));

        var crm = ProjectLoader.Load(Path.Combine(directory.Path, "crm")).Dashboard;
        var vcredit = ProjectLoader.Load(Path.Combine(directory.Path, "vcredit")).Dashboard;

        Assert.Contains(crm.Charts, chart => chart.Table.ToString() == "gold.crm_metrics_daily" && chart.Y.Contains("total_verificacoes"));
        Assert.Contains(crm.Charts, chart => chart.Table.ToString() == "gold.crm_action_priorities_daily" && chart.Y.SequenceEqual(["vencidas", "s_0", "s_1", "s_2", "s_3", "s_4", "posterior_s4"]));
        Assert.Equal("gold.crm_actions_open_snapshot", Assert.Single(crm.Tables).Table.ToString());
        Assert.Contains(vcredit.Charts, chart => chart.Table.ToString() == "gold.ft_custo_operacional" && chart.Series == "canal");
    }
}
