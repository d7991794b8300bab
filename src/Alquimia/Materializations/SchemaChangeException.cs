namespace Alquimia.Materializations;

/// <summary>A model's query changed a column's type in a way the existing table cannot take; names the column and both types.</summary>
public sealed class SchemaChangeException : AlquimiaException
{
    public SchemaChangeException(string message) : base(message) { }
}
