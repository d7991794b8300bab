namespace Alquimia.Projects.Loading;

/// <summary>
/// DuckDB's verdict on a model's SQL: an error (with its byte offset when known), or the statements' count, the tables
/// they read and the functions they call.
/// </summary>
internal sealed record SqlParse(string? Error, int? ErrorByteOffset, int StatementCount, IReadOnlyList<TableReference> References, IReadOnlyList<FunctionCall> Functions)
{
    /// <summary>Set when the SQL is <c>SELECT (condition)</c> of a foreign-key condition (see <see cref="ForeignKeyPattern"/>): how an expectation is parsed.</summary>
    public ForeignKeyRule? ForeignKey { get; init; }
}
