using System.Data.Common;
using System.Globalization;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Bench;

/// <summary>
/// <c>binding</c>: the DuckDB binding against DuckDB alone, on rows of (BIGINT, DOUBLE, VARCHAR, TIMESTAMP).
/// Reading every value through <see cref="DbDataReader"/> is compared with DuckDB materializing the same query
/// into a temporary table (goal: at most 1.5x its time); appending through <see cref="CheckedAppender"/> is
/// measured in rows/s (goal: at least 5M rows/s) and shown beside DuckDB's own INSERT … SELECT of the same rows.
/// A breakdown follows each: one column at a time for the reader, one kind of value at a time for the appender.
/// </summary>
internal sealed partial class DuckDbBindingBenchmark : IBenchmark
{
    /// <summary>The reader may take at most this many times what DuckDB takes to materialize the query itself.</summary>
    private const double ReadRatioGoal = 1.5;

    /// <summary>The appender must reach at least this many rows per second.</summary>
    private const double AppendRowsPerSecondGoal = 5_000_000;

    /// <summary>The machine the goals were set on has 2 cores; DuckDB gets both, the same for every measurement.</summary>
    private const int DuckDbThreads = 2;

    private const string SourceTable = "src";

    public string Name => "binding";

    public string Description => "DbDataReader and CheckedAppender against DuckDB alone, on (BIGINT, DOUBLE, VARCHAR, TIMESTAMP) rows";

    public void Run(BenchmarkOptions options)
    {
        using var connection = new CheckedConnection($"Data Source=:memory:;Threads={DuckDbThreads}");
        connection.Open();
        Console.WriteLine($"== binding: {Format.Count(options.Rows)} rows, in-memory database, Threads={DuckDbThreads} ==");
        Console.WriteLine();
        BuildSource(connection, options.Rows);

        var reading = MeasureReading(connection, options);
        PrintReading(reading, options.Rows);

        var appending = MeasureAppending(connection, options);
        PrintAppending(appending, options.Rows);

        Execute(connection, $"DROP TABLE {SourceTable}");
    }

    /// <summary>
    /// The table every read comes from. Half the labels are short (at most 12 bytes, which DuckDB stores inline in the
    /// string slot) and half are longer (kept in the vector's string heap), as a table of tickets would have codes and
    /// descriptions side by side.
    /// </summary>
    private static void BuildSource(CheckedConnection connection, long rows)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        Execute(connection, string.Create(CultureInfo.InvariantCulture, $"""
            CREATE OR REPLACE TABLE {SourceTable} AS
            SELECT i AS id,
                   CAST(i AS DOUBLE) * 1.5 AS amount,
                   CASE WHEN i % 2 = 0 THEN 'ch-' || (i % 100000) ELSE 'chamado-' || i || '-suporte' END AS label,
                   TIMESTAMP '2024-01-01' + to_seconds(i) AS aberto_em
            FROM range({rows}) t(i)
            """));
        started.Stop();

        using var command = connection.CreateCommand(
            $"SELECT avg(CAST(strlen(label) <= 12 AS INTEGER)), avg(strlen(label)) FROM {SourceTable}");
        using var reader = command.ExecuteReader();
        reader.Read();
        Console.WriteLine(
            $"Source table built in {Format.Milliseconds(started.Elapsed)} ms: labels {Format.Percent(reader.GetDouble(0))} inlined (<= 12 bytes), "
            + $"{reader.GetDouble(1).ToString("N1", CultureInfo.InvariantCulture)} bytes on average; RSS now {Format.Megabytes(MemoryUsage.WorkingSet)}.");
        Console.WriteLine();
    }

    private static ResultTable NewTable(string comparedWith) => new(
        "measurement", "best ms", "median ms", "spread", "cpu ms", "rows/s", "ns/row", comparedWith, "goal", "alloc B/row",
        "RSS before", "peak RSS", "checksum");

    /// <summary>A row of the table that only names what follows.</summary>
    private static void AddHeading(ResultTable table, string heading) =>
        table.Add([heading, .. Enumerable.Repeat("", table.ColumnCount - 1)]);

    private static void AddRow(ResultTable table, Measurement measurement, string comparison, string goal) => table.Add(
        measurement.Name,
        Format.Milliseconds(measurement.Best),
        Format.Milliseconds(measurement.Median),
        Format.Percent(measurement.Spread),
        Format.Milliseconds(measurement.BestCpuTime),
        Format.RowsPerSecond(measurement.RowsPerSecond),
        Format.Nanoseconds(measurement.NanosecondsPerRow),
        comparison,
        goal,
        Format.BytesPerRow(measurement.AllocatedBytes, measurement.Rows),
        Format.Megabytes(measurement.StartWorkingSetBytes),
        Format.Megabytes(measurement.PeakWorkingSetBytes),
        Format.Checksum(measurement.Checksum));

    private static int Execute(CheckedConnection connection, string sql)
    {
        using var command = connection.CreateCommand(sql);
        return command.ExecuteNonQuery();
    }

    private static long QueryCount(CheckedConnection connection, string table)
    {
        using var command = connection.CreateCommand($"SELECT count(*) FROM {table}");
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>A run that did not handle every row measured nothing useful: stop rather than print its figure.</summary>
    private static void EnsureRows(string what, long expected, long actual)
    {
        if (actual != expected)
        {
            throw new InvalidOperationException($"{what} handled {Format.Count(actual)} rows instead of {Format.Count(expected)}; the measurement is void.");
        }
    }
}
