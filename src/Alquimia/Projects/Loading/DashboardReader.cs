using Alquimia.Serving;
using YamlDotNet.RepresentationModel;

namespace Alquimia.Projects.Loading;

/// <summary>
/// Reads the <c>dashboard</c> of alquimia.yml (docs/running.md, "The dashboard"): its charts and listings. The tables
/// and columns they name must be the project's, which <see cref="CheckReferences"/> checks once the models are loaded.
/// </summary>
internal static class DashboardReader
{
    private static readonly string[] SectionKeys = ["charts", "tables"];
    private static readonly string[] ChartKeys = ["title", "table", "x", "y", "kind", "series", "stacked", "max_rows"];
    private static readonly string[] TableKeys = ["title", "table", "columns", "order", "page_size"];

    private static readonly IReadOnlyDictionary<string, ChartKind> Kinds = new Dictionary<string, ChartKind>(StringComparer.Ordinal)
    {
        ["line"] = ChartKind.Line,
        ["bar"] = ChartKind.Bar,
    };

    public static DashboardDefinition Read(YamlSection project)
    {
        if (project.Mapping("dashboard", $"'dashboard' of {ProjectFileReader.FileName}") is not { } dashboard)
        {
            return DashboardDefinition.None;
        }

        dashboard.CheckKeys(SectionKeys);
        var charts = Entries(dashboard, "charts", "a chart", "'title', 'table', 'x' and 'y'").Select(ReadChart).OfType<DashboardChart>().ToList();
        var tables = Entries(dashboard, "tables", "a listing", "'title' and 'table'").Select(ReadTable).OfType<DashboardTable>().ToList();
        return new DashboardDefinition(charts, tables);
    }

    /// <summary>
    /// Each chart's and listing's table must be a model of the project; when the model describes its columns
    /// (<c>columns:</c> in its front matter), the columns named must be among them.
    /// </summary>
    public static void CheckReferences(Project project, LoadProblems problems)
    {
        foreach (var chart in project.Dashboard.Charts)
        {
            var what = $"Dashboard chart '{chart.Title}'";
            if (ModelOf(project, chart.Table, chart.Line, what, problems) is { } model)
            {
                CheckColumns(model, chart.ColumnsRead, chart.Line, what, problems);
            }
        }

        foreach (var table in project.Dashboard.Tables)
        {
            var what = $"Dashboard listing '{table.Title}'";
            if (ModelOf(project, table.Table, table.Line, what, problems) is { } model)
            {
                CheckColumns(model, table.Columns.Concat(table.OrderColumns), table.Line, what, problems);
            }
        }
    }

    private static ModelDefinition? ModelOf(Project project, QualifiedName table, int line, string what, LoadProblems problems)
    {
        if (project.FindModel(table) is { } model)
        {
            return model;
        }

        problems.Add(ProjectFileReader.FileName, line,
            $"{what} reads {table}, which is not a model of the project.{Suggestions.DidYouMean(table.ToString(), project.Models.Select(other => other.Name.ToString()))}");
        return null;
    }

    private static void CheckColumns(ModelDefinition model, IEnumerable<string> columns, int line, string what, LoadProblems problems)
    {
        // A model that does not describe its columns is checked by the read API when the page asks (a 400 that says why).
        var described = model.Config.Columns.Select(column => column.Name).ToList();
        if (described.Count == 0)
        {
            return;
        }

        foreach (var column in columns.Distinct(StringComparer.Ordinal).Where(column => !described.Contains(column, StringComparer.Ordinal)))
        {
            problems.Add(ProjectFileReader.FileName, line,
                $"{what} names column '{column}', which {model.Name} does not describe (its columns: {string.Join(", ", described)}).{Suggestions.DidYouMean(column, described)}");
        }
    }

    /// <summary>The mappings of a list such as <c>charts</c>, each read against the same file; anything else is a problem.</summary>
    private static IEnumerable<YamlSection> Entries(YamlSection dashboard, string key, string entry, string keys)
    {
        foreach (var item in dashboard.Sequence(key)?.Children ?? [])
        {
            if (item is YamlMappingNode mapping)
            {
                yield return dashboard.Child(mapping, $"{entry} of 'dashboard.{key}' in {ProjectFileReader.FileName}");
            }
            else
            {
                dashboard.Problem(dashboard.LineOf(item), $"Each entry of 'dashboard.{key}' in {ProjectFileReader.FileName} should be a mapping with {keys}, not a {YamlSection.KindOf(item)}.");
            }
        }
    }

    private static DashboardChart? ReadChart(YamlSection yaml)
    {
        yaml.CheckKeys(ChartKeys);
        var title = yaml.String("title", "what the chart shows, e.g. title: Verificações por dia.");
        var chart = title is null ? yaml : yaml.Describe($"dashboard chart '{title}' of {ProjectFileReader.FileName}");
        var table = Table(chart, "the model whose rows it draws, e.g. table: gold.crm_metrics_daily.");
        var x = chart.String("x", "the column along the x axis, e.g. x: data_referencia.");
        var y = chart.StringOrList("y");
        if (y.Count == 0)
        {
            chart.Problem(chart.Line, $"'y' is missing from {chart.Description}: the numeric columns it draws, e.g. y: [total_verificacoes, verificacoes_nao_conformes].");
        }

        var kind = chart.Choice("kind", Kinds) ?? ChartKind.Line;
        var series = chart.String("series");
        var stacked = chart.Bool("stacked") ?? false;
        var maxRows = chart.Int("max_rows", minimum: 1) ?? DashboardChart.DefaultMaxRows;
        if (maxRows > DashboardChart.MaxRowsLimit)
        {
            chart.Problem(chart.LineOfKey("max_rows"), $"'max_rows' in {chart.Description} is {maxRows}, over the {DashboardChart.MaxRowsLimit:N0} a browser is sent: chart a coarser table (e.g. a daily aggregate model).");
        }

        return title is null || table is null || x is null || y.Count == 0 ? null : new DashboardChart(title, table, x, y, kind, yaml.Line)
        {
            Series = series,
            Stacked = stacked,
            MaxRows = Math.Min(maxRows, DashboardChart.MaxRowsLimit),
        };
    }

    private static DashboardTable? ReadTable(YamlSection yaml)
    {
        yaml.CheckKeys(TableKeys);
        var title = yaml.String("title", "what the listing shows, e.g. title: Ações abertas.");
        var listing = title is null ? yaml : yaml.Describe($"dashboard listing '{title}' of {ProjectFileReader.FileName}");
        var table = Table(listing, "the model whose rows it lists, e.g. table: gold.crm_actions_open_snapshot.");
        var columns = listing.StringOrList("columns");
        var order = listing.Node("order") is YamlSequenceNode ? string.Join(',', listing.StringOrList("order")) : listing.String("order");
        var pageSize = listing.Int("page_size", minimum: 1) ?? DashboardTable.DefaultPageSize;
        if (pageSize > TablePageRequest.MaxPageSize)
        {
            listing.Problem(listing.LineOfKey("page_size"), $"'page_size' in {listing.Description} is {pageSize}, over the read API's largest page, {TablePageRequest.MaxPageSize}.");
        }

        return title is null || table is null ? null : new DashboardTable(title, table, yaml.Line)
        {
            Columns = columns,
            Order = order,
            PageSize = Math.Min(pageSize, TablePageRequest.MaxPageSize),
        };
    }

    private static QualifiedName? Table(YamlSection yaml, string hint)
    {
        var text = yaml.String("table", hint);
        if (text is null)
        {
            return null;
        }

        if (QualifiedName.TryParse(text) is { } name)
        {
            return name;
        }

        yaml.Problem(yaml.LineOfKey("table"), $"'table: {text}' in {yaml.Description} is not a table: write layer.name, e.g. gold.crm_metrics_daily.");
        return null;
    }
}
