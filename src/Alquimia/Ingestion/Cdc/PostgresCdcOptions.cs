using Alquimia.Ingestion.Postgres;
using Alquimia.Projects;

namespace Alquimia.Ingestion.Cdc;

/// <summary>A <c>postgres_cdc</c> source's keys: a PostgreSQL source's, and the publication and slot its changes come through.</summary>
/// <param name="Publication">The publication naming the source's tables; <c>alquimia_&lt;source&gt;</c> unless set.</param>
/// <param name="Slot">The logical replication slot (pgoutput) that keeps the changes until a sync has committed them; <c>alquimia_&lt;source&gt;</c> unless set.</param>
internal sealed record PostgresCdcOptions(string Connection, string Schema, string Publication, string Slot) : PostgresOptions(Connection, Schema)
{
    /// <summary>How <c>alquimia serve</c> syncs the source continuously (<c>continuous:</c>); null when only runs sync it.</summary>
    public Operations.ContinuousSource? Continuous { get; init; }

    /// <summary>The most changes one sync lands (<c>continuous.max_changes</c>); the rest waits for the next. Null: every change.</summary>
    public long? MaxChanges => Continuous?.MaxChanges;

    /// <summary>The options of a CDC source.</summary>
    public static new PostgresCdcOptions Of(SourceDefinition source) => (PostgresCdcOptions)source.Options;

    /// <summary>The publication's and slot's name when the source file names none: PostgreSQL folds them to lower case.</summary>
    public static string DefaultName(string source) => "alquimia_" + new string([.. source.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')]);
}
