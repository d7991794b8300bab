using System.Globalization;
using System.Text.RegularExpressions;

namespace Alquimia.Warehouse.DuckDb;

/// <summary>The kinds of column the checked appender writes, each taking exactly one .NET type.</summary>
internal enum AppendedKind
{
    Unsupported,
    Boolean,
    SmallInt,
    Integer,
    BigInt,
    UBigInt,
    Float,
    Double,
    Text,
    Blob,
    Date,
    Timestamp,
    TimestampTz,
    Time,
    Uuid,
    Decimal,
    Interval,
}

/// <summary>A column as the checked appender sees it: the one kind of .NET value it takes, and a DECIMAL's width and scale.</summary>
internal sealed partial record AppendedType(string Column, string DuckDbType, AppendedKind Kind, byte Precision = 0, byte Scale = 0)
{
    /// <summary>10^precision: the first unscaled value a DECIMAL column cannot hold.</summary>
    public Int128 DecimalLimit { get; } = Kind == AppendedKind.Decimal ? Int128.Parse("1".PadRight(Precision + 1, '0'), CultureInfo.InvariantCulture) : 0;

    public static AppendedType Of(string column, string duckDbType)
    {
        if (DecimalType().Match(duckDbType) is { Success: true } match)
        {
            return new AppendedType(column, duckDbType, AppendedKind.Decimal,
                byte.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), byte.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
        }

        var kind = duckDbType switch
        {
            "BOOLEAN" => AppendedKind.Boolean,
            "SMALLINT" => AppendedKind.SmallInt,
            "INTEGER" => AppendedKind.Integer,
            "BIGINT" => AppendedKind.BigInt,
            "UBIGINT" => AppendedKind.UBigInt,
            "FLOAT" => AppendedKind.Float,
            "DOUBLE" => AppendedKind.Double,
            "VARCHAR" or "JSON" => AppendedKind.Text,
            "BLOB" => AppendedKind.Blob,
            "DATE" => AppendedKind.Date,
            "TIMESTAMP" => AppendedKind.Timestamp,
            "TIMESTAMP WITH TIME ZONE" => AppendedKind.TimestampTz,
            "TIME" => AppendedKind.Time,
            "UUID" => AppendedKind.Uuid,
            "INTERVAL" => AppendedKind.Interval,
            _ => AppendedKind.Unsupported,
        };
        return new AppendedType(column, duckDbType, kind);
    }

    /// <summary>What the appender takes for the kind, as a person would write it.</summary>
    public static string ClrName(AppendedKind kind) => kind switch
    {
        AppendedKind.Boolean => "bool",
        AppendedKind.SmallInt => "short",
        AppendedKind.Integer => "int",
        AppendedKind.BigInt => "long",
        AppendedKind.UBigInt => "ulong",
        AppendedKind.Float => "float",
        AppendedKind.Double => "double",
        AppendedKind.Text => "string or UTF-8 bytes",
        AppendedKind.Blob => "bytes",
        AppendedKind.Date => "DateOnly",
        AppendedKind.Timestamp => "DateTime",
        AppendedKind.TimestampTz => "DateTimeOffset",
        AppendedKind.Time => "TimeOnly or TimeSpan",
        AppendedKind.Uuid => "Guid",
        AppendedKind.Decimal => "decimal or DuckDbDecimal",
        AppendedKind.Interval => "DuckDbInterval or TimeSpan",
        _ => "nothing but NULL",
    };

    [GeneratedRegex(@"^DECIMAL\((\d+),(\d+)\)$")]
    private static partial Regex DecimalType();
}
