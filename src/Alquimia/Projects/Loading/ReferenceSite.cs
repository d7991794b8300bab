namespace Alquimia.Projects.Loading;

/// <summary>A table name as written in a model (<paramref name="Schema"/> empty when unqualified) and its file line.</summary>
internal sealed record ReferenceSite(string Schema, string Table, int Line)
{
    public QualifiedName? Name => Schema.Length == 0 ? null : new QualifiedName(Schema, Table);
}
