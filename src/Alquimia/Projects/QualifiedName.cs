using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Projects;

/// <summary>
/// A relation's name as <c>schema.name</c>, e.g. <c>silver.tb_chamado</c>. DuckDB identifiers are
/// case-insensitive, so both parts are kept in lower case and compare ordinally.
/// </summary>
public sealed record QualifiedName
{
    public QualifiedName(string schema, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(schema);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Schema = schema.ToLowerInvariant();
        Name = name.ToLowerInvariant();
    }

    /// <summary>The schema, which for models and bronze tables is the layer.</summary>
    public string Schema { get; }

    /// <summary>The table or view name inside the schema.</summary>
    public string Name { get; }

    /// <summary>The name quoted for SQL: <c>"silver"."tb_chamado"</c>.</summary>
    public string Sql => $"{SqlText.Identifier(Schema)}.{SqlText.Identifier(Name)}";

    /// <summary>Parses <c>schema.name</c>; returns null when the text is not of that shape.</summary>
    public static QualifiedName? TryParse(string text)
    {
        var parts = text.Split('.');
        return parts.Length == 2 && parts.All(part => part.Length > 0) ? new QualifiedName(parts[0], parts[1]) : null;
    }

    public override string ToString() => $"{Schema}.{Name}";
}
