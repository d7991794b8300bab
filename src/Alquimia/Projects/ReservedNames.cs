namespace Alquimia.Projects;

/// <summary>Names Alquimia gives the tables it builds beside a model's, which no model may take.</summary>
public static class ReservedNames
{
    /// <summary>
    /// Part of the names of the tables Alquimia builds with (a table rebuilt whole is written as
    /// <c>&lt;model&gt;__alquimia_new</c>, then swapped in): no model may have it in its name.
    /// </summary>
    public const string Marker = "__alquimia";

    /// <summary>A model with quarantine rules writes its failing rows to its name with this suffix (seed 000's <c>*_invalidos</c>).</summary>
    public const string QuarantineSuffix = "_invalidos";

    /// <summary>The column of every incremental model's table saying when the row was last written (see docs/projects.md).</summary>
    public const string LoadStamp = "_loaded_at";
}
