using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Bench;

internal sealed partial class DuckDbBindingBenchmark
{
    private const string AppendTable = "appended";

    /// <summary>Labels come from a pool of this many (a power of two), so that making them costs the loop nothing.</summary>
    private const int LabelPoolSize = 1024;

    private static readonly long FirstOpenedAtTicks = new DateTime(2024, 1, 1).Ticks;

    /// <summary>What appending is compared with and measured as, in the order the table prints them.</summary>
    private sealed record AppendingResults(Measurement Baseline, Measurement Appender, IReadOnlyList<Measurement> Breakdown);

    private static AppendingResults MeasureAppending(CheckedConnection connection, BenchmarkOptions options)
    {
        var rows = options.Rows;
        Console.WriteLine("Measuring appends ...");
        var fourColumns = $"CREATE OR REPLACE TABLE {AppendTable} (id BIGINT, amount DOUBLE, label VARCHAR, aberto_em TIMESTAMP)";
        var threeColumns = $"CREATE OR REPLACE TABLE {AppendTable} (id BIGINT, amount DOUBLE, aberto_em TIMESTAMP)";
        var mixedLabels = Labels(index => index % 2 == 0 ? ShortLabel(index) : LongLabel(index));

        Workload AppendWorkload(string name, string createTable, Func<long> append) => new(
            name, rows, append, Prepare: () => Execute(connection, createTable), CleanUp: () => CheckAndDrop(connection, rows));

        var measured = Measure.Interleaved(
            options,
            // DuckDB alone: the same rows inserted by DuckDB from the source table, with no value crossing from .NET.
            AppendWorkload(
                "DuckDB alone: INSERT INTO t SELECT * FROM src", fourColumns,
                () => Execute(connection, $"INSERT INTO {AppendTable} SELECT * FROM {SourceTable}")),
            AppendWorkload("Appender, 4 columns, half the labels inlined", fourColumns, () => Append(connection, rows, mixedLabels)));

        // The same loop with one kind of value changed or taken out shows what each costs.
        var shortLabels = Labels(ShortLabel);
        var longLabels = Labels(LongLabel);
        var breakdown = Measure.Interleaved(
            options,
            AppendWorkload("  3 columns, no VARCHAR", threeColumns, () => AppendWithoutLabel(connection, rows)),
            AppendWorkload("  4 columns, every label inlined (<= 12 bytes)", fourColumns, () => Append(connection, rows, shortLabels)),
            AppendWorkload("  4 columns, no label inlined (> 12 bytes)", fourColumns, () => Append(connection, rows, longLabels)),
            AppendWorkload("  4 columns, in one transaction (commit timed)", fourColumns, () => AppendInTransaction(connection, rows, mixedLabels)));

        return new AppendingResults(measured[0], measured[1], breakdown);
    }

    private static void PrintAppending(AppendingResults results, long rows)
    {
        var table = NewTable("vs DuckDB alone");
        AddRow(table, results.Baseline, "1.00x", "");
        var appender = results.Appender;
        AddRow(
            table, appender, Format.Ratio(appender.Best / results.Baseline.Best),
            $">= {Format.RowsPerSecond(AppendRowsPerSecondGoal)}/s: {(appender.RowsPerSecond >= AppendRowsPerSecondGoal ? "met" : "MISSED")}");
        AddHeading(table, "breakdown (same loop, other values)");
        foreach (var part in results.Breakdown)
        {
            AddRow(table, part, Format.Ratio(part.Best / results.Baseline.Best), "");
        }

        table.Print($"Appending {Format.Count(rows)} rows of (BIGINT, DOUBLE, VARCHAR, TIMESTAMP), Close() included");
    }

    /// <summary>Appends generated rows, as a loader would: one typed Append per column, then EndRow, then Close.</summary>
    private static long Append(CheckedConnection connection, long rows, string[] labels)
    {
        using var appender = connection.CreateCheckedAppender(AppendTable);
        for (var i = 0L; i < rows; i++)
        {
            appender.CreateRow()
                .Append(i)
                .Append(i * 1.5)
                .Append(labels[i & (LabelPoolSize - 1)])
                .Append(new DateTime(FirstOpenedAtTicks + (i * TimeSpan.TicksPerSecond)))
                .EndRow();
        }

        appender.Close();
        return appender.RowsAppended;
    }

    /// <summary>
    /// The same, inside one explicit transaction: DuckDB's appender otherwise commits each batch it flushes on its own
    /// (every 204,800 rows or so), and this shows what those commits cost.
    /// </summary>
    private static long AppendInTransaction(CheckedConnection connection, long rows, string[] labels)
    {
        using var transaction = connection.BeginTransaction();
        var appended = Append(connection, rows, labels);
        transaction.Commit();
        return appended;
    }

    private static long AppendWithoutLabel(CheckedConnection connection, long rows)
    {
        using var appender = connection.CreateCheckedAppender(AppendTable);
        for (var i = 0L; i < rows; i++)
        {
            appender.CreateRow()
                .Append(i)
                .Append(i * 1.5)
                .Append(new DateTime(FirstOpenedAtTicks + (i * TimeSpan.TicksPerSecond)))
                .EndRow();
        }

        appender.Close();
        return appender.RowsAppended;
    }

    private static string[] Labels(Func<int, string> label) => Enumerable.Range(0, LabelPoolSize).Select(label).ToArray();

    private static string ShortLabel(int index) => $"ch-{index}";

    private static string LongLabel(int index) => $"chamado-{index}-suporte";

    /// <summary>Checks that every row arrived, outside the timing, and drops the table so its memory is not carried over.</summary>
    private static void CheckAndDrop(CheckedConnection connection, long rows)
    {
        EnsureRows($"Appending to '{AppendTable}'", rows, QueryCount(connection, AppendTable));
        Execute(connection, $"DROP TABLE {AppendTable}");
    }
}
