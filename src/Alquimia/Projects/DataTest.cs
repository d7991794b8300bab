namespace Alquimia.Projects;

/// <summary>What a failing data test does: an error fails the model before it is published, a warning is recorded.</summary>
public enum TestSeverity
{
    Warn,
    Error,
}

/// <summary>
/// A data test on a model's relation, dbt-style: a query for the rows that break it. Tests run inside the model's
/// transaction after it is written (so an error-severity failure rolls the build back), and alone with
/// <c>alquimia test</c>.
/// </summary>
/// <param name="Name">How results name it: <c>unique(id_chamado)</c>, <c>relationships(id_canal → gold.dm_canal.id_canal)</c>.</param>
/// <param name="Line">The line of the model file that declares it.</param>
public abstract record DataTest(string Name, TestSeverity Severity, int Line)
{
    /// <summary>The tables the test reads besides its own model; the model depends on them.</summary>
    public virtual IReadOnlyList<QualifiedName> Reads => [];
}

/// <summary>No two rows share the values of <paramref name="Columns"/>.</summary>
public sealed record UniqueTest(IReadOnlyList<string> Columns, TestSeverity Severity, int Line)
    : DataTest($"unique({string.Join(", ", Columns)})", Severity, Line);

/// <summary>No row has <paramref name="Column"/> NULL.</summary>
public sealed record NotNullTest(string Column, TestSeverity Severity, int Line) : DataTest($"not_null({Column})", Severity, Line);

/// <summary><paramref name="Column"/> is NULL or one of <paramref name="Values"/>.</summary>
public sealed record AcceptedValuesTest(string Column, IReadOnlyList<string> Values, TestSeverity Severity, int Line)
    : DataTest($"accepted_values({Column})", Severity, Line);

/// <summary>Every non-NULL <paramref name="Column"/> exists as <paramref name="Field"/> in <paramref name="To"/>.</summary>
public sealed record RelationshipsTest(string Column, QualifiedName To, string Field, TestSeverity Severity, int Line)
    : DataTest($"relationships({Column} → {To}.{Field})", Severity, Line)
{
    public override IReadOnlyList<QualifiedName> Reads => [To];
}

/// <summary>A SELECT of the rows that break a rule; it passes when it returns none.</summary>
public sealed record ExpressionTest(string RuleName, string Sql, IReadOnlyList<QualifiedName> Tables, TestSeverity Severity, int Line)
    : DataTest(RuleName, Severity, Line)
{
    public override IReadOnlyList<QualifiedName> Reads => Tables;
}

/// <summary>The relation holds from <paramref name="Min"/> to <paramref name="Max"/> rows (either may be open).</summary>
public sealed record RowCountBetweenTest(long? Min, long? Max, TestSeverity Severity, int Line) : DataTest("row_count_between", Severity, Line);

/// <summary>The newest <paramref name="Column"/> is no older than <paramref name="MaxAge"/> (a DuckDB interval).</summary>
public sealed record FreshnessTest(string Column, string MaxAge, TestSeverity Severity, int Line) : DataTest($"freshness({Column})", Severity, Line);
