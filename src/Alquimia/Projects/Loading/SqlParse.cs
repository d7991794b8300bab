namespace Alquimia.Projects.Loading;

/// <summary>DuckDB's verdict on a model's SQL: an error (with its byte offset when known), or the statements' count and references.</summary>
internal sealed record SqlParse(string? Error, int? ErrorByteOffset, int StatementCount, IReadOnlyList<TableReference> References);
