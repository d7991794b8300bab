using Alquimia.Projects;
using Alquimia.Projects.Loading;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Lineage;

/// <summary>
/// Derives a model's column lineage from DuckDB's own parse of its SQL (<c>json_serialize_sql</c>, the parse
/// <see cref="SqlReferenceExtractor"/> reads tables from): for each output column, the table columns it comes from
/// through CTEs, subqueries, aliases, <c>*</c> and set operations, and how (OpenLineage's DIRECT IDENTITY,
/// TRANSFORMATION, AGGREGATION; INDIRECT JOIN, FILTER, GROUP_BY, SORT, WINDOW, CONDITIONAL). Which functions
/// aggregate is DuckDB's own list (<c>duckdb_functions()</c>). It reads nothing but the SQL and what
/// <c>columnsOf</c> says of tables; a <c>*</c> over a table whose columns nobody knows is said, not guessed.
/// </summary>
public sealed class ColumnLineageAnalyzer
{
    // Aggregates whose result does not reveal the values counted, and functions that hide their input (hashes):
    // OpenLineage's "masking".
    private static readonly HashSet<string> MaskingFunctions = new(StringComparer.OrdinalIgnoreCase)
    {
        "count", "count_star", "approx_count_distinct", "hash", "md5", "md5_number", "sha1", "sha256",
    };

    private readonly SqlReferenceExtractor _parser;
    private readonly HashSet<string> _aggregates;

    /// <summary>An analyzer parsing with <paramref name="connection"/> (any DuckDB connection; an in-memory one does).</summary>
    public ColumnLineageAnalyzer(CheckedConnection connection)
    {
        _parser = new SqlReferenceExtractor(connection);
        _aggregates = new HashSet<string>(
            connection.Query("SELECT DISTINCT function_name FROM duckdb_functions() WHERE function_type = 'aggregate'", reader => reader.GetString(0)),
            StringComparer.OrdinalIgnoreCase) { "count_star" };
    }

    /// <summary>
    /// The lineage of <paramref name="model"/>, whose SELECT is <paramref name="sql"/>. <paramref name="columnsOf"/>
    /// gives a table's columns in order, or null when unknown; asked of the model itself, it gives the columns as
    /// built, which name the expressions without an alias and the columns of a <c>*</c> over an unknown table.
    /// </summary>
    public ModelLineage Analyze(QualifiedName model, string sql, Func<QualifiedName, IReadOnlyList<string>?> columnsOf)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(columnsOf);
        using var tree = _parser.SyntaxTree(sql);
        var root = tree.RootElement;
        if (root.GetProperty("error").GetBoolean())
        {
            var message = root.TryGetProperty("error_message", out var text) ? text.GetString() : "unknown error";
            return new ModelLineage(model, [], [], [$"DuckDB cannot parse the SQL of {model}: {message}"]) { ColumnsComplete = false };
        }

        var statements = root.GetProperty("statements");
        if (statements.GetArrayLength() != 1)
        {
            return new ModelLineage(model, [], [], [$"The SQL of {model} is not one SELECT statement."]) { ColumnsComplete = false };
        }

        var walk = new LineageWalk(columnsOf, IsAggregate, IsMasking);
        var shape = walk.Query(statements[0].GetProperty("node"), null);
        return walk.Result(model, shape, columnsOf(model));
    }

    private bool IsAggregate(string function) => _aggregates.Contains(function);

    private static bool IsMasking(string function) => MaskingFunctions.Contains(function);
}
