namespace Alquimia.Projects.Loading;

/// <summary>
/// DuckDB's verdict on a model's SQL: an error (with its byte offset when known), or the statements' count, the tables
/// they read and the functions they call.
/// </summary>
internal sealed record SqlParse(string? Error, int? ErrorByteOffset, int StatementCount, IReadOnlyList<TableReference> References, IReadOnlyList<FunctionCall> Functions)
{
    /// <summary>Set when the SQL is <c>SELECT (column IN (SELECT parent_column FROM schema.table))</c>: how an expectation's condition is parsed.</summary>
    public ForeignKeyRule? ForeignKey { get; init; }
}
