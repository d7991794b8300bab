using Alquimia.Projects;

namespace Alquimia.Ingestion.Postgres;

/// <summary>A PostgreSQL source's own keys.</summary>
/// <param name="Connection">As written: a <c>postgres://</c> URL or an Npgsql connection string, its <c>${VARIABLE}</c>s expanded only when a sync needs them.</param>
/// <param name="Schema">The schema its tables are in. The default is <c>public</c>.</param>
internal record PostgresOptions(string Connection, string Schema) : SourceOptions
{
    public override string TablesIn => $"schema {Schema}";

    /// <summary>The options of a PostgreSQL source, or of a CDC source (whose options extend these).</summary>
    public static PostgresOptions Of(SourceDefinition source) => (PostgresOptions)source.Options;
}
