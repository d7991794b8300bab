using System.Data.Common;
using Alquimia.Warehouse.DuckDb;
using Npgsql;
using NpgsqlTypes;
using static Alquimia.Warehouse.DuckDb.SqlText;

namespace Alquimia.Examples.VCredit;

/// <summary>
/// Streams a DuckDB query into a PostgreSQL table through binary <c>COPY … FROM STDIN</c>: DuckDB hands the rows over
/// chunk by chunk and Npgsql sends them as they come, so neither side ever holds the whole table.
/// </summary>
internal static class DuckDbToPostgres
{
    /// <summary>Copies the rows of <paramref name="query"/> into <paramref name="target"/> (a quoted name); returns how many.</summary>
    public static long Copy(CheckedConnection duckDb, string query, IReadOnlyList<VCreditPostgresColumn> columns, NpgsqlConnection postgres, string target)
    {
        var writers = columns.Select(Writer).ToArray();
        using var command = duckDb.CreateCommand(query);
        using var reader = command.ExecuteReader();
        using var importer = postgres.BeginBinaryImport(
            $"COPY {target} ({string.Join(", ", columns.Select(column => Identifier(column.Name)))}) FROM STDIN (FORMAT BINARY)");
        while (reader.Read())
        {
            importer.StartRow();
            for (var i = 0; i < writers.Length; i++)
            {
                if (reader.IsDBNull(i))
                {
                    importer.WriteNull();
                }
                else
                {
                    writers[i](reader, i, importer);
                }
            }
        }

        return (long)importer.Complete();
    }

    private delegate void ValueWriter(DbDataReader reader, int ordinal, NpgsqlBinaryImporter importer);

    private static ValueWriter Writer(VCreditPostgresColumn column) => column.PostgresType switch
    {
        "boolean" => (reader, i, importer) => importer.Write(reader.GetBoolean(i), NpgsqlDbType.Boolean),
        "integer" => (reader, i, importer) => importer.Write(reader.GetInt32(i), NpgsqlDbType.Integer),
        "bigint" => (reader, i, importer) => importer.Write(reader.GetInt64(i), NpgsqlDbType.Bigint),
        "double precision" => (reader, i, importer) => importer.Write(reader.GetDouble(i), NpgsqlDbType.Double),
        "text" => (reader, i, importer) => importer.Write(reader.GetString(i), NpgsqlDbType.Text),
        "date" => (reader, i, importer) => importer.Write(reader.GetFieldValue<DateOnly>(i), NpgsqlDbType.Date),
        "timestamp" => (reader, i, importer) => importer.Write(reader.GetDateTime(i), NpgsqlDbType.Timestamp),
        _ when column.PostgresType.StartsWith("numeric", StringComparison.Ordinal) =>
            (reader, i, importer) => importer.Write(reader.GetDecimal(i), NpgsqlDbType.Numeric),
        _ => throw new InvalidOperationException($"Column '{column.Name}': no binary writer for PostgreSQL type {column.PostgresType}."),
    };
}
