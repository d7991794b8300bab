using Alquimia.Warehouse.DuckDb;
using System.Globalization;
using Alquimia.Projects;

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
    Interval,
    Uuid,
    Numeric,
}

/// <summary>
/// One column of a source table and its DuckDB twin. Most types travel in PostgreSQL's binary form and are appended
/// as they are; arrays and json are sent as text and cast by DuckDB when the landing file is written, so that
/// nothing is changed on the way.
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
    public string StagingType => Wire == PostgresWireValue.Text ? "VARCHAR" : DuckDbType;

    /// <summary>The column in the SELECT that writes the landing file: cast from text to its type where it arrived as text.</summary>
    public string LandingExpression(string quotedName) => StagingType == DuckDbType
        ? quotedName
        : IsArray ? $"CAST(CAST({quotedName} AS JSON) AS {DuckDbType}) AS {quotedName}" : $"CAST({quotedName} AS {DuckDbType}) AS {quotedName}";

    private bool IsArray => DuckDbType.EndsWith("[]", StringComparison.Ordinal);

    /// <summary>
    /// The DuckDB twin of a PostgreSQL column from its catalog entry: <paramref name="typeName"/> is
    /// <c>pg_type.typname</c>, <paramref name="typeModifier"/> <c>pg_attribute.atttypmod</c>, and for an array
    /// <paramref name="elementTypeName"/> is its element's <c>typname</c>; <paramref name="isEnum"/> for an enum type.
    /// </summary>
    public static PostgresColumn Map(string name, string formattedType, string typeName, int typeModifier, string? elementTypeName, bool isEnum)
    {
        var quoted = SqlText.Identifier(name);
        if (elementTypeName is not null)
        {
            // JSON, as DuckDB reads a list from it: PostgreSQL's own array text ({a,"b c"}) has quoting rules of its own.
            return Scalar(elementTypeName, typeModifier) is { } element && element.Wire != PostgresWireValue.Bytes
                ? new PostgresColumn(name, formattedType, element.DuckDbType + "[]", PostgresWireValue.Text, $"array_to_json({quoted})::text")
                : AsText(name, formattedType, quoted);
        }

        if (isEnum)
        {
            // An enum's labels are its values: text keeps them all, and a new label never breaks the sync.
            return new PostgresColumn(name, formattedType, "VARCHAR", PostgresWireValue.Text, $"{quoted}::text");
        }

        if (Scalar(typeName, typeModifier) is not { } mapped)
        {
            return AsText(name, formattedType, quoted);
        }

        var alreadyText = typeName is "text" or "varchar" or "bpchar" or "name";
        var select = mapped.Wire == PostgresWireValue.Text && !alreadyText ? $"{quoted}::text" : quoted;
        return new PostgresColumn(name, formattedType, mapped.DuckDbType, mapped.Wire, select);
    }

    private static PostgresColumn AsText(string name, string formattedType, string quoted) => new(
        name, formattedType, "VARCHAR", PostgresWireValue.Text, $"{quoted}::text",
        $"column '{name}' has PostgreSQL type {formattedType}, which DuckDB has no type for: it lands as its text");

    private static (string DuckDbType, PostgresWireValue Wire)? Scalar(string typeName, int typeModifier) => typeName switch
    {
        "bool" => ("BOOLEAN", PostgresWireValue.Boolean),
        "int2" => ("SMALLINT", PostgresWireValue.Int16),
        "int4" => ("INTEGER", PostgresWireValue.Int32),
        "int8" => ("BIGINT", PostgresWireValue.Int64),
        "float4" => ("FLOAT", PostgresWireValue.Float4),
        "float8" => ("DOUBLE", PostgresWireValue.Float8),
        "numeric" => Numeric(typeModifier),
        "text" or "varchar" or "bpchar" or "name" or "citext" => ("VARCHAR", PostgresWireValue.Text),
        "json" or "jsonb" => ("JSON", PostgresWireValue.Text),
        "bytea" => ("BLOB", PostgresWireValue.Bytes),
        "date" => ("DATE", PostgresWireValue.Date),
        "timestamp" => ("TIMESTAMP", PostgresWireValue.Timestamp),
        "timestamptz" => ("TIMESTAMPTZ", PostgresWireValue.TimestampTz),
        "time" => ("TIME", PostgresWireValue.Time),
        "interval" => ("INTERVAL", PostgresWireValue.Interval),
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
