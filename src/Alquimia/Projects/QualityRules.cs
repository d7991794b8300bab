namespace Alquimia.Projects;

/// <summary>What happens to a row that fails an expectation.</summary>
public enum ExpectationAction
{
    /// <summary>The row is kept and counted.</summary>
    Warn,

    /// <summary>The row goes to <c>&lt;schema&gt;.&lt;model&gt;_invalidos</c> instead of the model.</summary>
    Quarantine,

    /// <summary>The row is counted and discarded.</summary>
    Drop,

    /// <summary>The model fails and nothing of this build is published.</summary>
    Fail,
}

/// <summary>
/// A rule every new row of a model is checked against, before anything is published: a SQL boolean expression over
/// the model's output columns, which may read other tables (<c>id_cliente IN (SELECT id_cliente FROM silver.tb_cliente)</c>).
/// A row passes only when the expression is TRUE; FALSE and NULL fail it.
/// </summary>
/// <param name="Name">Also the name of the rule's TRUE/FALSE column in the quarantine table.</param>
/// <param name="Line">The line of the model file that declares it, for messages.</param>
/// <param name="Recheck">
/// False when the rule judges a row as it arrived (an id unique in its ingestion batch): a quarantined row checked
/// again in a later run keeps the result it had, and the rule may read only the batch's rows
/// (<c>watermark_lower_bound()</c>). True, the default, for rules on tables that change (a cliente that arrives late).
/// </param>
public sealed record Expectation(string Name, string Expression, ExpectationAction Action, int Line, bool Recheck = true)
{
    /// <summary>Set when DuckDB's parser reads the rule as a foreign key and nothing more (see <see cref="ForeignKeyRule"/>).</summary>
    public ForeignKeyRule? ForeignKey { get; init; }
}

/// <summary>
/// An expectation of the form <c>id_chamado IN (SELECT id_chamado FROM silver.tb_chamado)</c>, or
/// <c>id_atendente IS NULL OR id_atendente IN (SELECT …)</c>: nothing else in the condition, no WHERE or GROUP BY in
/// the subquery. DuckDB always builds an <c>IN (subquery)</c>'s hash table from the subquery: checked as written, a
/// day's 320K events hash all of V-Credit's 10M chamados (0.4 s). Knowing the shape, a batch looks up only the parent
/// keys it holds.
/// </summary>
/// <param name="Column">The model's column, as written in the rule.</param>
/// <param name="Parent">The table the subquery reads.</param>
/// <param name="ParentColumn">The column the subquery selects.</param>
public sealed record ForeignKeyRule(string Column, QualifiedName Parent, string ParentColumn)
{
    /// <summary>True for <c>column IS NULL OR column IN (…)</c>: a row without a key passes.</summary>
    public bool NullAllowed { get; init; }
}

/// <summary>What crossing a quality threshold does to the model run.</summary>
public enum ThresholdAction
{
    /// <summary>The model is published and its run is marked "warning".</summary>
    Warn,

    /// <summary>The model fails and nothing of this build is published.</summary>
    Fail,
}

/// <summary>
/// The most invalid rows a build may have: quarantined plus dropped rows, as a share of the rows checked
/// (seed 000: "Qtd Invalidos > 5%").
/// </summary>
public sealed record QualityThreshold(double MaxInvalidRatio, ThresholdAction OnCrossing);
