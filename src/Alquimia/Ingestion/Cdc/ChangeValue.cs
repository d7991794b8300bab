using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Alquimia.Ingestion.Postgres;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Ingestion.Cdc;

/// <summary>How a column's value in pgoutput's binary form becomes the value a snapshot's COPY lands for it.</summary>
internal enum ChangeValueForm
{
    /// <summary>The same bytes a binary COPY sends: <see cref="PostgresWireDecoder"/> appends them.</summary>
    Wire,

    /// <summary>A value sent as its UTF-8 text where COPY casts it to text: an enum's label, json, citext.</summary>
    Label,

    /// <summary>jsonb: a version byte (1), then the JSON's text.</summary>
    Jsonb,

    /// <summary>An interval (microseconds, days, months), landed as the text <see cref="PostgresExactText.Interval"/> writes.</summary>
    Interval,

    /// <summary>A numeric without precision, landed as PostgreSQL's own text of it.</summary>
    NumericText,
}

/// <summary>One column of a table's change feed: the snapshot's twin (<see cref="PostgresColumn"/>) and how its streamed values read.</summary>
internal sealed record ChangeColumn(PostgresColumn Column, ChangeValueForm Form, bool IsKey)
{
    public string Name => Column.Name;

    /// <summary>
    /// The column for a relation's entry, or null when its streamed values have no exact reading here (arrays, and types
    /// that land as their text because DuckDB has none): the caller rejects the table, naming the column.
    /// </summary>
    public static ChangeColumn? For(PostgresColumn column, string typeName, bool isKey)
    {
        var quoted = SqlText.Identifier(column.Name);
        ChangeValueForm? form = column switch
        {
            { Wire: PostgresWireValue.ArrayAsJson } => null,
            _ when typeName == "interval" => ChangeValueForm.Interval,
            _ when typeName == "numeric" && column.DuckDbType == "VARCHAR" => ChangeValueForm.NumericText,
            _ when typeName == "jsonb" => ChangeValueForm.Jsonb,
            { Wire: PostgresWireValue.Text } when column.SelectExpression == $"{quoted}::text" && column.Warning is null => ChangeValueForm.Label,
            _ when column.SelectExpression == quoted => ChangeValueForm.Wire,
            _ => null,
        };
        return form is { } known ? new ChangeColumn(column, known, isKey) : null;
    }

    /// <summary>Appends the value's binary form to the row.</summary>
    /// <exception cref="ArgumentException">The value has no DuckDB twin (out of range, not UTF-8).</exception>
    public CheckedAppenderRow Append(CheckedAppenderRow row, ReadOnlySpan<byte> value) => Form switch
    {
        ChangeValueForm.Wire => PostgresWireDecoder.Append(row, Column.Wire, value),
        ChangeValueForm.Label => row.AppendUtf8(value),
        ChangeValueForm.Jsonb => value.Length > 0 && value[0] == 1 ? row.AppendUtf8(value[1..]) : throw new ArgumentException("jsonb of an unknown version."),
        ChangeValueForm.Interval => row.Append(IntervalText(value)),
        ChangeValueForm.NumericText => row.Append(NumericText(value)),
        _ => throw new ArgumentOutOfRangeException(nameof(value), Form, "Unknown form."),
    };

    /// <summary>An interval's send form as <c>14 months 3 days -14706000001 microseconds</c>, PostgresExactText's text.</summary>
    public static string IntervalText(ReadOnlySpan<byte> value) => string.Create(
        CultureInfo.InvariantCulture,
        $"{BinaryPrimitives.ReadInt32BigEndian(value[12..])} months {BinaryPrimitives.ReadInt32BigEndian(value[8..])} days {BinaryPrimitives.ReadInt64BigEndian(value)} microseconds");

    /// <summary>A numeric's send form as PostgreSQL's <c>numeric_out</c> writes it: every digit to its display scale, or NaN, Infinity, -Infinity.</summary>
    public static string NumericText(ReadOnlySpan<byte> value)
    {
        var digits = BinaryPrimitives.ReadInt16BigEndian(value);
        var weight = BinaryPrimitives.ReadInt16BigEndian(value[2..]);
        var sign = BinaryPrimitives.ReadUInt16BigEndian(value[4..]);
        var scale = BinaryPrimitives.ReadInt16BigEndian(value[6..]);
        switch (sign)
        {
            case 0xC000: return "NaN";
            case 0xD000: return "Infinity";
            case 0xF000: return "-Infinity";
        }

        var digitBytes = value[8..].ToArray();
        short Digit(int index) => index >= 0 && index < digits ? BinaryPrimitives.ReadInt16BigEndian(digitBytes.AsSpan(2 * index)) : (short)0;
        var text = new StringBuilder();
        if (sign == 0x4000)
        {
            text.Append('-');
        }

        if (weight < 0)
        {
            text.Append('0');
        }
        else
        {
            text.Append(Digit(0).ToString(CultureInfo.InvariantCulture));
            for (var i = 1; i <= weight; i++)
            {
                text.Append(Digit(i).ToString("D4", CultureInfo.InvariantCulture));
            }
        }

        if (scale > 0)
        {
            var fraction = new StringBuilder();
            for (var i = weight + 1; fraction.Length < scale; i++)
            {
                fraction.Append(Digit(i).ToString("D4", CultureInfo.InvariantCulture));
            }

            text.Append('.').Append(fraction.ToString(0, scale));
        }

        return text.ToString();
    }
}
