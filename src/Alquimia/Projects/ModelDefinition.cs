namespace Alquimia.Projects;

/// <summary>
/// One model: a SELECT in <c>models/&lt;layer&gt;/&lt;name&gt;.sql</c> whose result becomes <c>&lt;layer&gt;.&lt;name&gt;</c>.
/// </summary>
/// <param name="Name">The relation the model builds; its schema is the layer folder.</param>
/// <param name="FilePath">The model's file, absolute.</param>
/// <param name="Sql">The SELECT, without the front matter, exactly as written.</param>
/// <param name="SqlLine">The line of the file where <paramref name="Sql"/> starts (1-based), to place errors.</param>
/// <param name="Config">The front matter with project defaults applied.</param>
/// <param name="References">The tables the SQL reads, as DuckDB's parser names them (CTE names excluded), sorted.</param>
public sealed record ModelDefinition(
    QualifiedName Name,
    string FilePath,
    string Sql,
    int SqlLine,
    ModelConfig Config,
    IReadOnlyList<QualifiedName> References)
{
    /// <summary>The layer (schema) the model belongs to.</summary>
    public string Layer => Name.Schema;
}
