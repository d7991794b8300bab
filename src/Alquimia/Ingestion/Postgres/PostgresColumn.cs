using Alquimia.Ingestion.Landing;
using Alquimia.Warehouse.DuckDb;
using System.Globalization;

namespace Alquimia.Ingestion.Postgres;

/// <summary>How a column's values travel in the binary COPY stream, and so how they are read and appended.</summary>
internal enum PostgresWireValue
{
    Boolean,
    Int16,
    Int32,
    Int64,
    Float4,
    Float8,
    Text,
    Bytes,
    Date,
    Timestamp,
    TimestampTz,
    Time,
    Uuid,
    Numeric,

    /// <summary>
    /// A one-dimensional array from index 1 as a JSON array of its elements' texts; any other array as the text
    /// <c>dimensions [0:2]</c> (its <c>array_dims</c>), which no list holds and which rejects the table.
    /// </summary>
    ArrayAsJson,
}

/// <summary>
/// One column of a source table and its DuckDB twin. Most types travel in PostgreSQL's binary form and are appended
/// as they are; arrays, json and intervals are sent as text and cast by DuckDB when the landing file is written, so
/// that nothing is changed on the way.
/// </summary>
/// <param name="Name">The column's name in PostgreSQL, which bronze keeps.</param>
/// <param name="PostgresType">The type as PostgreSQL writes it, e.g. <c>numeric(12,2)</c>.</param>
/// <param name="DuckDbType">The type of the column in landing and bronze.</param>
/// <param name="Wire">How its values travel.</param>
/// <param name="SelectExpression">The column in the COPY's SELECT: as it is, or turned into text.</param>
/// <param name="Warning">Set when the type has no DuckDB twin and lands as its text.</param>
internal sealed record PostgresColumn(string Name, string PostgresType, string DuckDbType, PostgresWireValue Wire, string SelectExpression, string? Warning = null)
{
    /// <summary>The staging column's type: what arrives.</summary>
    public string StagingType => Wire is PostgresWireValue.Text or PostgresWireValue.ArrayAsJson ? "VARCHAR" : DuckDbType;

    /// <summary>What to do about a value of this column that cannot land, for the error that names it.</summary>
    public string Fix => Wire == PostgresWireValue.ArrayAsJson
        ? $"Fix the value in the source, or sync a view over the table that selects the column as text ({SqlText.Identifier(Name)}::text) or as a "
          + $"one-dimensional array from 1 (e.g. ARRAY(SELECT unnest({SqlText.Identifier(Name)}))), or leaves it out."
        : "Fix the value in the source, or exclude the column (a view over the table without it).";

    /// <summary>The column as it lands: cast from text to its type where it arrived as text.</summary>
    public LandedColumn Landed => new(Name, DuckDbType, StagingType == DuckDbType ? null : LandingValue(SqlText.Identifier(Name)));

    /// <summary>
    /// The column's value, typed, from the staged one. A list goes through VARCHAR[]: DuckDB's JSON-to-list cast reads
    /// numbers as doubles, its casts from text are exact.
    /// </summary>
    public string LandingValue(string quotedName) => Wire switch
    {
        _ when StagingType == DuckDbType => quotedName,
        PostgresWireValue.ArrayAsJson when DuckDbType == "VARCHAR[]" => $"CAST(CAST({quotedName} AS JSON) AS VARCHAR[])",
        PostgresWireValue.ArrayAsJson => $"CAST(CAST(CAST({quotedName} AS JSON) AS VARCHAR[]) AS {DuckDbType})",
        _ => $"CAST({quotedName} AS {DuckDbType})",
    };

    /// <summary>The DuckDB twin of a PostgreSQL column from its catalog entry, domains resolved.</summary>
    public static PostgresColumn Map(string name, string formattedType, PostgresCatalogType type)
    {
        var quoted = SqlText.Identifier(name);
        if (type.Element is { } element)
        {
            return Array(name, formattedType, quoted, element);
        }

        if (type.IsEnum)
        {
            // An enum's labels are its values: text keeps them all, and a new label never breaks the sync.
            return new PostgresColumn(name, formattedType, "VARCHAR", PostgresWireValue.Text, $"{quoted}::text");
        }

        if (type.Name == "interval")
        {
            // Landing is Parquet, whose INTERVAL holds milliseconds and no negative part: the interval lands as an exact text instead.
            return new PostgresColumn(name, formattedType, "VARCHAR", PostgresWireValue.Text, PostgresExactText.Interval(quoted));
        }

        if (Scalar(type) is not { } mapped)
        {
            return new PostgresColumn(name, formattedType, "VARCHAR", PostgresWireValue.Text, $"{quoted}::text", NoTwin(name, formattedType, "its text"));
        }

        var alreadyText = type.Name is "text" or "varchar" or "bpchar" or "name";
        var select = mapped.Wire == PostgresWireValue.Text && !alreadyText ? $"{quoted}::text" : quoted;
        return new PostgresColumn(name, formattedType, mapped.DuckDbType, mapped.Wire, select);
    }

    /// <summary>
    /// An array as a DuckDB list of its element's twin, sent as JSON of its elements' texts, each one DuckDB reads back
    /// exactly. The catalog does not say an array column's dimensions nor where it starts: a value of more than one
    /// dimension, or from another index than 1, is sent as its shape and rejects its table.
    /// </summary>
    private static PostgresColumn Array(string name, string formattedType, string quoted, PostgresCatalogType element)
    {
        var (elementType, elementText, warning) = element switch
        {
            { IsEnum: true } => ("VARCHAR", null, null),
            { Name: "interval" } => ("VARCHAR", PostgresExactText.Interval("e"), null),
            { Name: "bpchar" } => ("VARCHAR", PostgresExactText.Output("e"), null),
            _ when Scalar(element) is { Wire: not PostgresWireValue.Bytes } mapped => (mapped.DuckDbType, mapped.Wire switch
            {
                PostgresWireValue.Date => PostgresExactText.Date("e"),
                PostgresWireValue.Timestamp => PostgresExactText.Timestamp("e"),
                PostgresWireValue.TimestampTz => PostgresExactText.TimestampTz("e"),
                _ => null,
            }, (string?)null),
            _ => ("VARCHAR", null, NoTwin(name, formattedType, "the text of each element, in a VARCHAR[]")),
        };

        // PostgreSQL's own text of an element is exact for the rest (numbers, -0, NaN and Infinity included).
        var elements = elementText is null
            ? $"{quoted}::text[]"
            : $"ARRAY(SELECT {elementText} FROM unnest({quoted}) WITH ORDINALITY AS u(e, i) ORDER BY i)";
        var select = $"CASE WHEN {quoted} IS NULL THEN NULL WHEN array_ndims({quoted}) > 1 OR array_lower({quoted}, 1) <> 1 THEN 'dimensions ' || array_dims({quoted}) "
            + $"ELSE array_to_json({elements})::text END";
        return new PostgresColumn(name, formattedType, elementType + "[]", PostgresWireValue.ArrayAsJson, select, warning);
    }

    private static string NoTwin(string name, string formattedType, string landsAs) =>
        $"column '{name}' has PostgreSQL type {formattedType}, which DuckDB has no type for: it lands as {landsAs}";

    private static (string DuckDbType, PostgresWireValue Wire)? Scalar(PostgresCatalogType type) => type.Name switch
    {
        "bool" => ("BOOLEAN", PostgresWireValue.Boolean),
        "int2" => ("SMALLINT", PostgresWireValue.Int16),
        "int4" => ("INTEGER", PostgresWireValue.Int32),
        "int8" => ("BIGINT", PostgresWireValue.Int64),
        "float4" => ("FLOAT", PostgresWireValue.Float4),
        "float8" => ("DOUBLE", PostgresWireValue.Float8),
        "numeric" => Numeric(type.Modifier),
        "text" or "varchar" or "bpchar" or "name" or "citext" => ("VARCHAR", PostgresWireValue.Text),
        "json" or "jsonb" => ("JSON", PostgresWireValue.Text),
        "bytea" => ("BLOB", PostgresWireValue.Bytes),
        "date" => ("DATE", PostgresWireValue.Date),
        "timestamp" => ("TIMESTAMP", PostgresWireValue.Timestamp),
        "timestamptz" => ("TIMESTAMPTZ", PostgresWireValue.TimestampTz),
        "time" => ("TIME", PostgresWireValue.Time),
        "uuid" => ("UUID", PostgresWireValue.Uuid),
        _ => null,
    };

    /// <summary>
    /// numeric(p, s) with p up to 38 is DECIMAL(p, s), exactly. A numeric without a precision can hold any number of
    /// digits on either side of the point, which no DuckDB number holds exactly: it lands as its text.
    /// </summary>
    private static (string, PostgresWireValue)? Numeric(int typeModifier)
    {
        if (typeModifier < 4)
        {
            return null;
        }

        var precision = ((typeModifier - 4) >> 16) & 0xffff;
        var scale = (typeModifier - 4) & 0xffff;
        return precision is >= 1 and <= 38 && scale <= precision
            ? (string.Create(CultureInfo.InvariantCulture, $"DECIMAL({precision},{scale})"), PostgresWireValue.Numeric)
            : null;
    }
}
