namespace Alquimia.Projects;

/// <summary>
/// The <c>dashboard</c> of alquimia.yml: the project's KPI charts and listings, which the page of <c>alquimia serve</c>
/// draws from rows it reads through the read API (docs/running.md, "The dashboard"). Empty when alquimia.yml has none.
/// </summary>
public sealed record DashboardDefinition(IReadOnlyList<DashboardChart> Charts, IReadOnlyList<DashboardTable> Tables)
{
    /// <summary>No charts and no listings: the dashboard shows the pipeline's own panels only.</summary>
    public static DashboardDefinition None { get; } = new([], []);
}

/// <summary>How a chart draws its series.</summary>
public enum ChartKind
{
    /// <summary>One line per series.</summary>
    Line,

    /// <summary>One bar per series at each x.</summary>
    Bar,
}

/// <summary>
/// One KPI chart: the sum of each <see cref="Y"/> column per value of <see cref="X"/> (and of <see cref="Series"/>),
/// summed in the browser when the table is finer than the chart (e.g. a row per day and location, charted per day).
/// </summary>
/// <param name="Title">What the chart shows, as the users say it.</param>
/// <param name="Table">The model read, through <c>GET /api/tables/{layer.name}</c>.</param>
/// <param name="X">The column along the x axis (usually a day), in ascending order.</param>
/// <param name="Y">The numeric columns drawn, one series each (times each value of <see cref="Series"/>).</param>
/// <param name="Line">The line of alquimia.yml the chart is declared on.</param>
public sealed record DashboardChart(string Title, QualifiedName Table, string X, IReadOnlyList<string> Y, ChartKind Kind, int Line)
{
    /// <summary>Rows read when <c>max_rows</c> is not given.</summary>
    public const int DefaultMaxRows = 5_000;

    /// <summary>The most rows a chart may read: a browser sums what it is sent, and a chart of more is unreadable anyway.</summary>
    public const int MaxRowsLimit = 50_000;

    /// <summary>A column whose each value is a series of its own (e.g. one line per organization); null for none.</summary>
    public string? Series { get; init; }

    /// <summary>True to stack the series (bars on bars, areas on areas), for parts of a whole. The default is false.</summary>
    public bool Stacked { get; init; }

    /// <summary>The most rows read from the table, in pages of the read API; the chart says when it stopped there.</summary>
    public int MaxRows { get; init; } = DefaultMaxRows;

    /// <summary>Every column the chart reads, each once.</summary>
    public IEnumerable<string> ColumnsRead => new[] { X }.Concat(Y).Concat(Series is null ? [] : [Series]).Distinct(StringComparer.Ordinal);
}

/// <summary>A listing of a model's rows, a page at a time, with next and previous page (the read API's keyset cursor).</summary>
/// <param name="Title">What the listing shows.</param>
/// <param name="Table">The model read.</param>
/// <param name="Line">The line of alquimia.yml the listing is declared on.</param>
public sealed record DashboardTable(string Title, QualifiedName Table, int Line)
{
    /// <summary>Rows per page when <c>page_size</c> is not given.</summary>
    public const int DefaultPageSize = 20;

    /// <summary>The columns shown, in order; empty for all of the table's.</summary>
    public IReadOnlyList<string> Columns { get; init; } = [];

    /// <summary>The read API's <c>order</c>, e.g. <c>due_date,-id_action</c> (<c>-</c> for descending); null for the table's own order.</summary>
    public string? Order { get; init; }

    /// <summary>Rows per page, from 1 to the read API's largest page. The default is 20.</summary>
    public int PageSize { get; init; } = DefaultPageSize;

    /// <summary>The columns <see cref="Order"/> names, without their direction.</summary>
    public IEnumerable<string> OrderColumns => (Order ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(term => term.TrimStart('-'));
}
