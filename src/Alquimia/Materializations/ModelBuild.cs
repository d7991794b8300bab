using Alquimia.Warehouse.DuckDb;
using Alquimia.Projects;
using Alquimia.Warehouse;

namespace Alquimia.Materializations;

/// <summary>Everything a materialization needs for one build of one model, on a connection inside an open transaction.</summary>
public sealed class ModelBuild
{
    private BuildScope? _scope;

    public ModelBuild(CheckedConnection connection, ModelDefinition model, CancellationToken cancellationToken)
    {
        Connection = connection;
        Model = model;
        CancellationToken = cancellationToken;
    }

    /// <summary>The connection, with the model's transaction open.</summary>
    public CheckedConnection Connection { get; }

    /// <summary>The model being built.</summary>
    public ModelDefinition Model { get; }

    /// <summary>Interrupts the running query when cancelled (a timeout, or the user's Ctrl-C).</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>True to rebuild from scratch, ignoring stored watermarks (<c>--full-refresh</c>).</summary>
    public bool FullRefresh { get; init; }

    /// <summary>When the run started: the valid_from of snapshot versions found by the check strategy.</summary>
    public DateTimeOffset RunStartedAt { get; init; }

    /// <summary>
    /// The run's logical date: run_date() in the model's SQL, and the day its retention counts back from.
    /// </summary>
    public required DateOnly RunDate { get; init; }

    /// <summary>The run this build belongs to, recorded with its quarantined rows and quality results.</summary>
    public string RunId { get; init; } = "";

    /// <summary>The threshold on invalid rows that applies: the model's, else the project's; null for none.</summary>
    public QualityThreshold? QualityThreshold { get; init; }

    /// <summary>The watermark stored by the model's last successful build, or null.</summary>
    public StoredWatermark? StoredWatermark { get; init; }

    /// <summary>The relation the model builds.</summary>
    public QualifiedName Target => Model.Name;

    /// <summary>The model's SELECT, parenthesized so it can be used as a subquery (a trailing comment or semicolon is harmless).</summary>
    public string Subquery => "(\n" + Model.Sql.TrimEnd().TrimEnd(';') + "\n)";

    /// <summary>
    /// Which rows this build reads. Decided at the first ask, which comes before the build changes its target
    /// (<see cref="ModelFunctions.Define"/>, or the materialization's first step), and kept for the whole build.
    /// </summary>
    internal BuildScope Scope => _scope ??= BuildScope.Of(this);

    internal int Execute(string sql, params object?[] parameters) => Connection.Execute(sql, CancellationToken, parameters);

    internal T? Scalar<T>(string sql, params object?[] parameters) => Connection.Scalar<T>(sql, CancellationToken, parameters);

    internal long Count(QualifiedName relation) => Scalar<long>($"SELECT count(*) FROM {relation.Sql}");

    internal RelationKind TargetKind => RelationCatalog.KindOf(Connection, Target, CancellationToken);

    internal List<ColumnInfo> QueryColumns => RelationCatalog.DescribeQuery(Connection, $"SELECT * FROM {Subquery}", CancellationToken);

    internal List<ColumnInfo> TargetColumns => RelationCatalog.Columns(Connection, Target, CancellationToken);
}
