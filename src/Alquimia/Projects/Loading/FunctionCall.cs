namespace Alquimia.Projects.Loading;

/// <summary>A function the SQL calls, by name as written (without its schema).</summary>
/// <param name="ByteOffset">Where the call is in the SQL, in UTF-8 bytes.</param>
internal sealed record FunctionCall(string Name, int ByteOffset);
