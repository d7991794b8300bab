namespace Alquimia.Projects.Loading;

/// <summary>
/// DuckDB's verdict on a model's SQL: an error (with its byte offset when known), or the statements' count, the tables
/// they read and the functions they call.
/// </summary>
internal sealed record SqlParse(string? Error, int? ErrorByteOffset, int StatementCount, IReadOnlyList<TableReference> References, IReadOnlyList<FunctionCall> Functions);
