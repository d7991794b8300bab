namespace Alquimia.Projects.Loading;

/// <summary>A table the SQL reads, as written: <paramref name="Schema"/> is empty when unqualified.</summary>
/// <param name="ByteOffset">Where the name is in the SQL, in UTF-8 bytes.</param>
internal sealed record TableReference(string Schema, string Table, int ByteOffset);
