namespace Alquimia.Lineage;

/// <summary>One entry of an OpenLineage input field's <c>transformations</c>: its subtype and whether it masks the value.</summary>
/// <param name="Masking">The output does not reveal the input's value (<c>count(x)</c>, <c>md5(x)</c>).</param>
public sealed record ColumnTransformation(LineageSubtype Subtype, bool Masking = false)
{
    public static readonly ColumnTransformation Identity = new(LineageSubtype.Identity);

    /// <summary>True for IDENTITY, TRANSFORMATION and AGGREGATION: the value is derived from the input's.</summary>
    public bool IsDirect => Subtype <= LineageSubtype.Aggregation;

    /// <summary><c>DIRECT</c> or <c>INDIRECT</c>.</summary>
    public string Type => IsDirect ? "DIRECT" : "INDIRECT";

    /// <summary>The subtype as OpenLineage spells it: <c>IDENTITY</c>, <c>GROUP_BY</c>…</summary>
    public string SubtypeName => Subtype switch
    {
        LineageSubtype.GroupBy => "GROUP_BY",
        _ => Subtype.ToString().ToUpperInvariant(),
    };

    /// <summary>
    /// What an input reached through <paramref name="inner"/> is to a column this transformation is applied to: an
    /// INDIRECT role wins (a filter on a computed column is a filter on its inputs), else the stronger of the two
    /// DIRECT ones (an identity of a sum is an aggregation).
    /// </summary>
    public ColumnTransformation Then(ColumnTransformation inner)
    {
        if (!IsDirect)
        {
            return this;
        }

        if (!inner.IsDirect)
        {
            return inner;
        }

        return new ColumnTransformation((LineageSubtype)Math.Max((int)Subtype, (int)inner.Subtype), Masking || inner.Masking);
    }

    public override string ToString() => Masking ? $"{Type} {SubtypeName} (masking)" : $"{Type} {SubtypeName}";
}
