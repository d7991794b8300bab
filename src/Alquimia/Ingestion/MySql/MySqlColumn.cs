using System.Globalization;
using Alquimia.Ingestion.Landing;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Ingestion.MySql;

/// <summary>
/// One column of a MySQL table and its DuckDB twin. An integer a long holds and a DOUBLE are read as numbers (see
/// <see cref="IsNumber"/>); a binary value as its bytes; every other value travels as MySQL's own text of it (the
/// SELECT casts it to CHAR where it is not text already), is staged as VARCHAR, and is cast by DuckDB when the landing
/// part is written: DuckDB's casts from text are exact, so nothing is rounded on the way.
/// </summary>
/// <param name="Name">The column's name in MySQL, which bronze keeps.</param>
/// <param name="MySqlType">The type as MySQL writes it (<c>COLUMN_TYPE</c>), e.g. <c>decimal(12,2)</c> or <c>bigint(20) unsigned</c>.</param>
/// <param name="DuckDbType">The type of the column in landing and bronze.</param>
/// <param name="SelectExpression">The column in the SELECT that reads it: MySQL's text of it, or its bytes.</param>
/// <param name="IsTemporal">A DATE, DATETIME or TIMESTAMP, whose zero dates are looked for as rows arrive.</param>
/// <param name="Warning">Set when the type has no DuckDB twin and lands as text.</param>
internal sealed record MySqlColumn(string Name, string MySqlType, string DuckDbType, string SelectExpression, bool IsTemporal = false, string? Warning = null)
{
    /// <summary>True when the values travel as bytes (BLOB, BINARY), not as text.</summary>
    public bool IsBinary => DuckDbType == "BLOB";

    /// <summary>
    /// True for an integer that a long holds (every MySQL integer but BIGINT UNSIGNED) and a DOUBLE: read typed, as
    /// MySqlConnector parses MySQL's text of it, rather than staged as a string for DuckDB to cast.
    /// </summary>
    public bool IsNumber { get; } =
        SelectExpression == MySqlText.Identifier(Name) && DuckDbType is "TINYINT" or "UTINYINT" or "SMALLINT" or "USMALLINT" or "INTEGER" or "UINTEGER" or "BIGINT" or "DOUBLE";

    /// <summary>True for a DOUBLE, read as one; every other number is read as a long.</summary>
    public bool IsDouble => DuckDbType == "DOUBLE";

    /// <summary>The staging column's type: what arrives.</summary>
    public string StagingType => IsBinary ? "BLOB" : IsNumber ? (IsDouble ? "DOUBLE" : "BIGINT") : "VARCHAR";

    /// <summary>The column as it lands: cast to its type where it is staged as another.</summary>
    public LandedColumn Landed => new(Name, DuckDbType, StagingType == DuckDbType ? null : LandingValue(SqlText.Identifier(Name)));

    /// <summary>The value, typed, from the staged text.</summary>
    public string LandingValue(string staged) => DuckDbType switch
    {
        "VARCHAR" or "BLOB" => staged,
        // MySQL's TIMESTAMP is an instant, sent in the session's zone, which is UTC (MySqlSnapshot).
        "TIMESTAMPTZ" => $"CAST({staged} || '+00' AS TIMESTAMPTZ)",
        // A FLOAT travels as the DOUBLE it widens to exactly: MySQL's text of a FLOAT keeps 6 digits.
        "FLOAT" => $"CAST(CAST({staged} AS DOUBLE) AS FLOAT)",
        // BIT(1), sent as 0 or 1.
        "BOOLEAN" => $"CAST(CAST({staged} AS UTINYINT) AS BOOLEAN)",
        // A SET's members are sent joined by commas, which no member may hold; the empty set is ''.
        "VARCHAR[]" => $"CASE WHEN {staged} = '' THEN CAST([] AS VARCHAR[]) ELSE string_split({staged}, ',') END",
        _ => $"CAST({staged} AS {DuckDbType})",
    };

    /// <summary>The DuckDB twin of a MySQL column from its catalog entry.</summary>
    /// <param name="dataType"><c>DATA_TYPE</c>, e.g. <c>bigint</c>.</param>
    /// <param name="columnType"><c>COLUMN_TYPE</c>, e.g. <c>bigint(20) unsigned</c>.</param>
    /// <param name="precision"><c>NUMERIC_PRECISION</c>: a DECIMAL's digits, a BIT's bits.</param>
    /// <param name="scale"><c>NUMERIC_SCALE</c>.</param>
    /// <param name="isJson">True for a JSON column: MySQL's own type, MariaDB's LONGTEXT checked with <c>json_valid</c>.</param>
    public static MySqlColumn Map(string name, string dataType, string columnType, long? precision, long? scale, bool isJson)
    {
        var quoted = MySqlText.Identifier(name);
        var asText = $"CAST({quoted} AS CHAR)";
        var unsigned = columnType.Contains("unsigned", StringComparison.OrdinalIgnoreCase);
        MySqlColumn Column(string duckDbType, string? select = null, bool temporal = false) => new(name, columnType, duckDbType, select ?? asText, temporal);
        return dataType.ToLowerInvariant() switch
        {
            _ when isJson => Column("JSON", quoted),
            "tinyint" => Column(unsigned ? "UTINYINT" : "TINYINT", quoted),
            "smallint" => Column(unsigned ? "USMALLINT" : "SMALLINT", quoted),
            "mediumint" or "int" or "integer" => Column(unsigned ? "UINTEGER" : "INTEGER", quoted),
            "bigint" => Column(unsigned ? "UBIGINT" : "BIGINT", unsigned ? null : quoted),
            "decimal" or "numeric" when precision is >= 1 and <= 38 =>
                Column(string.Create(CultureInfo.InvariantCulture, $"DECIMAL({precision},{scale ?? 0})")),
            "decimal" or "numeric" => Column("VARCHAR") with
            {
                Warning = $"column '{name}' is {columnType}, more digits than DuckDB's DECIMAL holds (38): it lands as MySQL's text of each value, every digit kept",
            },
            "float" => Column("FLOAT", $"CAST(CAST({quoted} AS DOUBLE) AS CHAR)"),
            "double" or "real" => Column("DOUBLE", quoted),
            "bit" => Column(precision == 1 ? "BOOLEAN" : "UBIGINT", $"CAST({quoted} + 0 AS CHAR)"),
            "year" => Column("SMALLINT"),
            "enum" or "char" or "varchar" or "tinytext" or "text" or "mediumtext" or "longtext" => Column("VARCHAR", quoted),
            "set" => Column("VARCHAR[]", quoted),
            "json" => Column("JSON", quoted),
            "binary" or "varbinary" or "tinyblob" or "blob" or "mediumblob" or "longblob" => Column("BLOB", quoted),
            "date" => Column("DATE", temporal: true),
            "datetime" => Column("TIMESTAMP", temporal: true),
            "timestamp" => Column("TIMESTAMPTZ", temporal: true),
            // MySQL's TIME is a duration from -838:59:59 to 838:59:59, which DuckDB's TIME (a time of day) cannot hold,
            // and Parquet's INTERVAL keeps milliseconds only: it lands as MySQL's text, which CAST(… AS INTERVAL) reads.
            "time" => Column("VARCHAR"),
            "uuid" => Column("UUID"),
            "geometry" or "point" or "linestring" or "polygon" or "multipoint" or "multilinestring" or "multipolygon" or "geometrycollection" =>
                Column("VARCHAR", $"ST_AsText({quoted})") with { Warning = NoTwin(name, columnType, "its WKT text (ST_AsText)") },
            _ => Column("VARCHAR") with { Warning = NoTwin(name, columnType, "MySQL's text of it") },
        };
    }

    private static string NoTwin(string name, string columnType, string landsAs) =>
        $"column '{name}' has MySQL type {columnType}, which DuckDB has no type for: it lands as {landsAs}";
}

/// <summary>MySQL's quoting, for the SQL the connector sends to the source.</summary>
internal static class MySqlText
{
    /// <summary>A name between backticks, its own backticks doubled.</summary>
    public static string Identifier(string name) => "`" + name.Replace("`", "``", StringComparison.Ordinal) + "`";
}
