using System.Globalization;
using Alquimia.Ingestion.Landing;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Ingestion.MySql;

/// <summary>
/// How a column's values travel from MySQL to the staging table. The SELECT is a prepared statement, so the server sends
/// MySQL's binary protocol: numbers and dates as their bytes, which are neither formatted by the server nor parsed here.
/// </summary>
internal enum MySqlValueForm
{
    /// <summary>MySQL's text of the value, as UTF-8 bytes (the SELECT makes them binary, so that no .NET string is made), staged as VARCHAR and cast by DuckDB, whose casts from text are exact.</summary>
    Text,

    /// <summary>The value's bytes (BLOB, BINARY), staged as BLOB.</summary>
    Bytes,

    /// <summary>An integer an int holds, staged as INTEGER.</summary>
    Int32,

    /// <summary>An integer a long holds (BIGINT, INT UNSIGNED), staged as BIGINT.</summary>
    Int64,

    /// <summary>A BIGINT UNSIGNED, staged as UBIGINT.</summary>
    UInt64,

    /// <summary>A FLOAT, sent as its 4 bytes: exact to the bit, where MySQL's text of it keeps 6 digits.</summary>
    Float,

    /// <summary>A DOUBLE, sent as its 8 bytes.</summary>
    Double,

    /// <summary>A DECIMAL of up to 38 digits: MySQL's text of it, read into its exact unscaled integer.</summary>
    Decimal,

    /// <summary>A DATE, DATETIME or TIMESTAMP, sent as its fields; MySQL's zero dates are looked for as rows arrive.</summary>
    Temporal,
}

/// <summary>One column of a MySQL table and its DuckDB twin, and how its values travel (<see cref="MySqlValueForm"/>).</summary>
/// <param name="Name">The column's name in MySQL, which bronze keeps.</param>
/// <param name="MySqlType">The type as MySQL writes it (<c>COLUMN_TYPE</c>), e.g. <c>decimal(12,2)</c> or <c>bigint(20) unsigned</c>.</param>
/// <param name="DuckDbType">The type of the column in landing and bronze.</param>
/// <param name="SelectExpression">The column in the SELECT that reads it.</param>
/// <param name="Form">How its values arrive and are staged.</param>
/// <param name="Warning">Set when the type has no DuckDB twin and lands as text.</param>
internal sealed record MySqlColumn(string Name, string MySqlType, string DuckDbType, string SelectExpression, MySqlValueForm Form, string? Warning = null)
{
    /// <summary>A DATE, DATETIME or TIMESTAMP.</summary>
    public bool IsTemporal => Form == MySqlValueForm.Temporal;

    /// <summary>The staging column's type: what arrives.</summary>
    public string StagingType => Form switch
    {
        MySqlValueForm.Text => "VARCHAR",
        MySqlValueForm.Bytes => "BLOB",
        MySqlValueForm.Int32 => "INTEGER",
        MySqlValueForm.Int64 => "BIGINT",
        MySqlValueForm.UInt64 => "UBIGINT",
        MySqlValueForm.Double => "DOUBLE",
        _ => DuckDbType,
    };

    /// <summary>The column as it lands: cast to its type where it is staged as another.</summary>
    public LandedColumn Landed => new(Name, DuckDbType, StagingType == DuckDbType ? null : LandingValue(SqlText.Identifier(Name)));

    /// <summary>The value, typed, from the staged one.</summary>
    public string LandingValue(string staged) => DuckDbType switch
    {
        "VARCHAR" or "BLOB" => staged,
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
        var unsigned = columnType.Contains("unsigned", StringComparison.OrdinalIgnoreCase);
        MySqlColumn Typed(string duckDbType, MySqlValueForm form) => new(name, columnType, duckDbType, quoted, form);
        // MySQL's text of the value (of the expression, else of the column), in UTF-8 whatever the column's character set.
        MySqlColumn Text(string duckDbType, string? expression = null) =>
            new(name, columnType, duckDbType, $"CAST(CONVERT({expression ?? quoted} USING utf8mb4) AS BINARY)", MySqlValueForm.Text);
        return dataType.ToLowerInvariant() switch
        {
            _ when isJson => Text("JSON"),
            "tinyint" => Typed(unsigned ? "UTINYINT" : "TINYINT", MySqlValueForm.Int32),
            "smallint" => Typed(unsigned ? "USMALLINT" : "SMALLINT", MySqlValueForm.Int32),
            "mediumint" => Typed(unsigned ? "UINTEGER" : "INTEGER", MySqlValueForm.Int32),
            "int" or "integer" => Typed(unsigned ? "UINTEGER" : "INTEGER", unsigned ? MySqlValueForm.Int64 : MySqlValueForm.Int32),
            "bigint" => Typed(unsigned ? "UBIGINT" : "BIGINT", unsigned ? MySqlValueForm.UInt64 : MySqlValueForm.Int64),
            "decimal" or "numeric" when precision is >= 1 and <= 38 => new(
                name, columnType, string.Create(CultureInfo.InvariantCulture, $"DECIMAL({precision},{scale ?? 0})"), $"CAST({quoted} AS BINARY)", MySqlValueForm.Decimal),
            "decimal" or "numeric" => Text("VARCHAR") with
            {
                Warning = $"column '{name}' is {columnType}, more digits than DuckDB's DECIMAL holds (38): it lands as MySQL's text of each value, every digit kept",
            },
            "float" => Typed("FLOAT", MySqlValueForm.Float),
            "double" or "real" => Typed("DOUBLE", MySqlValueForm.Double),
            "bit" => Text(precision == 1 ? "BOOLEAN" : "UBIGINT", $"CAST({quoted} + 0 AS CHAR)"),
            "year" => Typed("SMALLINT", MySqlValueForm.Int32),
            "enum" or "char" or "varchar" or "tinytext" or "text" or "mediumtext" or "longtext" => Text("VARCHAR"),
            "set" => Text("VARCHAR[]"),
            "json" => Text("JSON"),
            "binary" or "varbinary" or "tinyblob" or "blob" or "mediumblob" or "longblob" => Typed("BLOB", MySqlValueForm.Bytes),
            "date" => Typed("DATE", MySqlValueForm.Temporal),
            "datetime" => Typed("TIMESTAMP", MySqlValueForm.Temporal),
            "timestamp" => Typed("TIMESTAMPTZ", MySqlValueForm.Temporal),
            // MySQL's TIME is a duration from -838:59:59 to 838:59:59, which DuckDB's TIME (a time of day) cannot hold,
            // and Parquet's INTERVAL keeps milliseconds only: it lands as MySQL's text, which CAST(… AS INTERVAL) reads.
            "time" => Text("VARCHAR", $"CAST({quoted} AS CHAR)"),
            "uuid" => Text("UUID", $"CAST({quoted} AS CHAR)"),
            "geometry" or "point" or "linestring" or "polygon" or "multipoint" or "multilinestring" or "multipolygon" or "geometrycollection" =>
                Text("VARCHAR", $"ST_AsText({quoted})") with { Warning = NoTwin(name, columnType, "its WKT text (ST_AsText)") },
            _ => Text("VARCHAR", $"CAST({quoted} AS CHAR)") with { Warning = NoTwin(name, columnType, "MySQL's text of it") },
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
