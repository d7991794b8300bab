using Alquimia.Projects;
using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Serving;

/// <summary>
/// What one caller of the read API may read: every table (the operator), or an API key's tables, each narrowed by its
/// row filter. <see cref="TablePages"/> adds the filter to every read, whatever the caller asks for, so the rows, the
/// counts and the pages a cursor leads to are the same narrowed rows.
/// </summary>
public sealed class ReadScope
{
    private readonly IReadOnlyList<TableGrant>? _grants;

    private ReadScope(string name, IReadOnlyList<TableGrant>? grants)
    {
        Name = name;
        _grants = grants;
    }

    /// <summary>The operator's scope: every table, every row.</summary>
    public static ReadScope Everything { get; } = new("operator", null);

    /// <summary>
    /// Who reads: <c>operator</c> or the API key's name. Answers are cached per scope, so this is part of every cache
    /// key: two callers share an answer only when they are the same caller.
    /// </summary>
    public string Name { get; }

    /// <summary>The scope of <paramref name="key"/>.</summary>
    public static ReadScope Of(ApiKeyDefinition key) => new(key.Name, key.Tables);

    /// <summary>
    /// True when the scope may read <paramref name="relation"/>, with the row filter to add (null for every row). A grant
    /// of the table itself wins over a grant of its layer (<c>gold.*</c>).
    /// </summary>
    public bool MayRead(QualifiedName relation, out string? rowFilter)
    {
        rowFilter = null;
        if (_grants is null)
        {
            return true;
        }

        var grant = _grants.FirstOrDefault(grant => !grant.IsLayer && grant.Covers(relation)) ?? _grants.FirstOrDefault(grant => grant.Covers(relation));
        rowFilter = grant?.RowFilter;
        return grant is not null;
    }

    /// <summary>
    /// What is wrong with the scope's row filters on the models the warehouse holds: each is run once on its table
    /// (reading no row), so a column that is not there is found when the server starts, not by a caller.
    /// </summary>
    public IReadOnlyList<string> Problems(EmbeddedWarehouse warehouse, Project project) => warehouse.Read(connection =>
    {
        var problems = new List<string>();
        foreach (var model in project.Models)
        {
            if (!MayRead(model.Name, out var filter) || filter is null || RelationCatalog.KindOf(connection, model.Name) == RelationKind.None)
            {
                continue;
            }

            try
            {
                connection.Execute($"SELECT 1 FROM {model.Name.Sql} WHERE ({filter}) LIMIT 0");
            }
            catch (DuckDbEngineException error)
            {
                problems.Add($"The row filter of API key '{Name}' on {model.Name} ({filter}) does not fit the table: {error.DuckDbMessage.Split('\n')[0]} Fix it in serve.api_keys of alquimia.yml.");
            }
        }

        return (IReadOnlyList<string>)problems;
    });

    /// <summary>Throws <see cref="OutOfScopeException"/> unless the scope may read <paramref name="relation"/>; returns its row filter.</summary>
    public string? Check(QualifiedName relation) => MayRead(relation, out var filter)
        ? filter
        : throw new OutOfScopeException($"API key '{Name}' may not read {relation}. GET /api/tables lists what it may read; the operator grants more in serve.api_keys of alquimia.yml.");
}

/// <summary>A read outside the caller's scope: the server answers 403.</summary>
public sealed class OutOfScopeException(string message) : AlquimiaException(message);
