using System.Globalization;
using System.Text;
using Alquimia.Ingestion.Landing;
using Alquimia.Projects;
using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;
using MySqlConnector;

namespace Alquimia.Ingestion.MySql;

/// <summary>Where a table's rows go: the connection they are read on, the warehouse, the batch, the table's columns, and the zero dates met.</summary>
internal sealed record MySqlReadTarget(
    MySqlConnection Connection, string Warehouse, LandingBatch Batch, List<MySqlColumn> Columns, SourceDefinition Source, SourceTable Table, string Database)
{
    /// <summary>Zero dates landed as NULL, by column (<c>zero_dates: null</c>).</summary>
    public Dictionary<string, long> ZeroDates { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Streams the rows of one SELECT of a MySQL table into landing parts: MySqlConnector reads a result row by row
/// (nothing is buffered), each row is appended to a DuckDB staging table, and every <c>partBytes</c> the staged rows
/// are written out as the batch's next part, cast to their landing types.
/// </summary>
internal static class MySqlTableReader
{
    /// <param name="where">Filters the rows in MySQL, with <paramref name="parameters"/>.</param>
    /// <param name="reRead">When set, keeps only the rows not landed already (all of them in one part).</param>
    public static void Read(
        MySqlReadTarget target, string? where, IReadOnlyDictionary<string, string> parameters, ReReadRows? reRead, long partBytes, CancellationToken cancellationToken)
    {
        var (table, columns) = (target.Table, target.Columns);
        var select = $"SELECT {string.Join(", ", columns.Select(column => column.SelectExpression))} "
            + $"FROM {MySqlText.Identifier(target.Database)}.{MySqlText.Identifier(table.Name)}" + (where is null ? "" : $" WHERE {where}");
        using var command = new MySqlCommand(select, target.Connection) { CommandTimeout = 0 };
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        // Prepared, the SELECT's rows arrive in the binary protocol (MySqlValueForm).
        command.Prepare();

        // Cancelling (the step's timeout, the user) kills the query on the server; the next read then fails.
        using var registration = cancellationToken.Register(command.Cancel);
        using var reader = command.ExecuteReader();
        var finished = false;
        try
        {
            using var staging = new StagingTable(target.Warehouse, [.. columns.Select(column => new StagedColumn(column.Name, column.StagingType))]);
            do
            {
                staging.Create(cancellationToken);
                using (var appender = staging.CreateAppender())
                {
                    finished = !AppendRows(reader, appender, target, partBytes);
                }

                WritePart(staging, target, reRead, cancellationToken);
            }
            while (!finished);

            staging.Drop(cancellationToken);
        }
        catch (Exception) when (!finished)
        {
            // Disposing a reader that was not read to its end reads the rest (a bad value in the first row of a 100 GB
            // table would wait for all of it): kill the query first. The connection and its snapshot stay.
            try
            {
                command.Cancel();
            }
            catch (Exception cancelling) when (cancelling is MySqlException or InvalidOperationException or ObjectDisposedException)
            {
            }

            throw;
        }
    }

    /// <summary>Appends rows until the result ends (false) or <paramref name="partBytes"/> are staged at a row group's end (true: more to come).</summary>
    private static bool AppendRows(MySqlDataReader reader, CheckedAppender appender, MySqlReadTarget target, long partBytes)
    {
        var columns = target.Columns;
        var forms = columns.Select(column => column.Form).ToArray();
        var bytes = new byte[4096];
        var staged = 0L;
        while (staged < partBytes || appender.RowsAppended % MySqlExtractor.RowGroupRows != 0)
        {
            if (!reader.Read())
            {
                return false;
            }

            var row = appender.CreateRow();
            for (var i = 0; i < forms.Length; i++)
            {
                if (reader.IsDBNull(i))
                {
                    row = row.AppendNull();
                    continue;
                }

                switch (forms[i])
                {
                    case MySqlValueForm.Int32:
                        row = row.Append(reader.GetInt32(i));
                        staged += sizeof(int);
                        break;
                    case MySqlValueForm.Int64:
                        row = row.Append(reader.GetInt64(i));
                        staged += sizeof(long);
                        break;
                    case MySqlValueForm.UInt64:
                        row = row.Append(reader.GetUInt64(i));
                        staged += sizeof(ulong);
                        break;
                    case MySqlValueForm.Float:
                        row = row.Append(reader.GetFloat(i));
                        staged += sizeof(float);
                        break;
                    case MySqlValueForm.Double:
                        row = row.Append(reader.GetDouble(i));
                        staged += sizeof(double);
                        break;
                    case MySqlValueForm.Temporal:
                        row = AppendTemporal(row, reader.GetMySqlDateTime(i), columns[i], target);
                        staged += sizeof(long);
                        break;
                    case MySqlValueForm.Bytes:
                        var blob = Bytes(reader, i, ref bytes);
                        row = row.Append(blob);
                        staged += blob.Length;
                        break;
                    case MySqlValueForm.Decimal:
                        var digits = Bytes(reader, i, ref bytes);
                        row = AppendDecimal(row, digits, columns[i], target);
                        staged += digits.Length;
                        break;
                    default:
                        var text = Bytes(reader, i, ref bytes);
                        row = AppendText(row, text, columns[i], target);
                        staged += text.Length;
                        break;
                }
            }

            row.EndRow();
        }

        return true;
    }

    /// <summary>The value's bytes, in <paramref name="buffer"/> (grown when too small): no array is made per value.</summary>
    private static ReadOnlySpan<byte> Bytes(MySqlDataReader reader, int ordinal, ref byte[] buffer)
    {
        var length = (int)reader.GetBytes(ordinal, 0, null, 0, 0);
        if (length > buffer.Length)
        {
            buffer = new byte[Math.Max(length, buffer.Length * 2)];
        }

        reader.GetBytes(ordinal, 0, buffer, 0, length);
        return buffer.AsSpan(0, length);
    }

    /// <summary>A DECIMAL from MySQL's text of it, read into its exact digits.</summary>
    private static CheckedAppenderRow AppendDecimal(CheckedAppenderRow row, ReadOnlySpan<byte> text, MySqlColumn column, MySqlReadTarget target) =>
        DuckDbDecimal.TryParse(text, out var number)
            ? row.Append(number)
            : throw CannotLand(target, column, $"MySQL sent '{Encoding.UTF8.GetString(text)}', which is not a decimal's text.", "Report it with the column's type.");

    /// <summary>MySQL's text of a value, as its UTF-8 bytes.</summary>
    private static CheckedAppenderRow AppendText(CheckedAppenderRow row, ReadOnlySpan<byte> text, MySqlColumn column, MySqlReadTarget target)
    {
        try
        {
            return row.AppendUtf8(text);
        }
        catch (ArgumentException)
        {
            throw CannotLand(target, column, "its text is not valid UTF-8.", "Fix the value in the source, or exclude the column (a view over the table without it).");
        }
    }

    /// <summary>
    /// A DATE, DATETIME or TIMESTAMP from its fields (a TIMESTAMP's in the session's zone, UTC: see MySqlSnapshot), or a
    /// zero date: <c>0000-00-00</c> and any date with a zero month or day, which MySQL stores and no calendar has, and
    /// any date in the year 0, below MySQL's supported range, which MySqlConnector reads as invalid too.
    /// </summary>
    private static CheckedAppenderRow AppendTemporal(CheckedAppenderRow row, MySqlDateTime value, MySqlColumn column, MySqlReadTarget target)
    {
        if (!value.IsValidDateTime)
        {
            return ZeroDate(row, column, value, target);
        }

        if (value.Month > 12 || value.Day > DateTime.DaysInMonth(value.Year, value.Month))
        {
            // MySQL stores such a day under sql_mode ALLOW_INVALID_DATES, and sends it as it is.
            throw CannotLand(target, column, $"'{Text(value, column)}' is not a day of the calendar (MySQL keeps it under sql_mode ALLOW_INVALID_DATES), so DuckDB has no such {column.DuckDbType}.",
                "Fix the value in the source (e.g. the month's last day, or NULL).");
        }

        if (column.DuckDbType == "DATE")
        {
            return row.Append(new DateOnly(value.Year, value.Month, value.Day));
        }

        var seconds = new DateTime(value.Year, value.Month, value.Day, value.Hour, value.Minute, value.Second, DateTimeKind.Unspecified);
        return row.AppendTimestamp(((seconds.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond) + value.Microsecond);
    }

    private static CheckedAppenderRow ZeroDate(CheckedAppenderRow row, MySqlColumn column, MySqlDateTime value, MySqlReadTarget target)
    {
        if (MySqlOptions.Of(target.Source).ZeroDates == MySqlZeroDates.Fail)
        {
            var what = value.Month == 0 || value.Day == 0 ? "a MySQL zero date, which no calendar has" : "in the year 0, below MySQL's supported range (from 1000)";
            throw CannotLand(target, column, $"'{Text(value, column)}' is {what}, so DuckDB has no such {column.DuckDbType}.",
                "Set zero_dates: null on the source to land such values as NULL (each step then counts them in a warning), or fix the value in the source (e.g. NULL).");
        }

        target.ZeroDates[column.Name] = target.ZeroDates.GetValueOrDefault(column.Name) + 1;
        return row.AppendNull();
    }

    /// <summary>A date's text as MySQL writes it, for messages: its time too, but for a DATE.</summary>
    private static string Text(MySqlDateTime value, MySqlColumn column) =>
        string.Create(CultureInfo.InvariantCulture, $"{value.Year:0000}-{value.Month:00}-{value.Day:00}")
        + (column.DuckDbType == "DATE" ? "" : string.Create(CultureInfo.InvariantCulture, $" {value.Hour:00}:{value.Minute:00}:{value.Second:00}"));

    private static AlquimiaException CannotLand(MySqlReadTarget target, MySqlColumn column, string reason, string fix) => new(
        $"Source '{target.Source.Name}': a value of column '{column.Name}' ({column.MySqlType}) of table {target.Database}.{target.Table.Name} cannot be landed: {reason} {fix}");

    /// <summary>Writes the staged rows, typed, as the batch's next part.</summary>
    private static void WritePart(StagingTable staging, MySqlReadTarget target, ReReadRows? reRead, CancellationToken cancellationToken)
    {
        const string Fix = "Fix the value in the source, or exclude the column (a view over the table without it).";
        staging.WritePart(target.Batch, [.. target.Columns.Select(column => column.Landed)], reRead, (index, reason) => index is { } failing
            ? CannotLand(target, target.Columns[failing], reason, Fix)
            : new AlquimiaException($"Source '{target.Source.Name}': table {target.Database}.{target.Table.Name} has a value its landing type cannot hold: {reason} {Fix}"),
            cancellationToken);
    }
}
