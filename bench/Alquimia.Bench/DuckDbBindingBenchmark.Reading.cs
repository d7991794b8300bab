using System.Data.Common;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Bench;

internal sealed partial class DuckDbBindingBenchmark
{
    private const string SelectSource = $"SELECT id, amount, label, aberto_em FROM {SourceTable}";

    /// <summary>What reading is compared with and measured as, in the order the table prints them.</summary>
    private sealed record ReadingResults(Measurement Baseline, IReadOnlyList<Measurement> Readers, IReadOnlyList<Measurement> Breakdown);

    private static ReadingResults MeasureReading(CheckedConnection connection, BenchmarkOptions options)
    {
        var rows = options.Rows;
        Console.WriteLine("Measuring reads ...");

        var measured = Measure.Interleaved(
            options,
            // DuckDB alone: the same query, materialized by DuckDB into a table, with no row crossing into .NET.
            new Workload(
                "DuckDB alone: CREATE TEMP TABLE AS SELECT", rows,
                () => Execute(connection, $"CREATE TEMP TABLE materialized AS {SelectSource}"),
                CleanUp: () => Execute(connection, "DROP TABLE materialized")),
            new Workload("Reader, 4 getters, materialized", rows, () => Read<AllColumns>(connection, rows, streaming: false)),
            new Workload("Reader, 4 getters, streaming (default)", rows, () => Read<AllColumns>(connection, rows, streaming: true)));

        // One getter at a time, over the same four-column query, shows what each costs on top of Read() alone.
        var breakdown = Measure.Interleaved(
            options,
            new Workload("  Read() only, materialized", rows, () => Read<NoColumn>(connection, rows, streaming: false)),
            new Workload("  Read() only, streaming", rows, () => Read<NoColumn>(connection, rows, streaming: true)),
            new Workload("  Read() + GetInt64, streaming", rows, () => Read<IdColumn>(connection, rows, streaming: true)),
            new Workload("  Read() + GetDouble, streaming", rows, () => Read<AmountColumn>(connection, rows, streaming: true)),
            new Workload("  Read() + GetString, streaming", rows, () => Read<LabelColumn>(connection, rows, streaming: true)),
            new Workload("  Read() + GetDateTime, streaming", rows, () => Read<OpenedAtColumn>(connection, rows, streaming: true)));

        return new ReadingResults(measured[0], measured[1..], breakdown);
    }

    private static void PrintReading(ReadingResults results, long rows)
    {
        var table = NewTable("vs DuckDB alone");
        AddRow(table, results.Baseline, "1.00x", "");
        foreach (var reader in results.Readers)
        {
            var ratio = reader.Best / results.Baseline.Best;
            AddRow(table, reader, Format.Ratio(ratio), $"<= {Format.Ratio(ReadRatioGoal)}: {(ratio <= ReadRatioGoal ? "met" : "MISSED")}");
        }

        AddHeading(table, "breakdown (same query, fewer getters)");
        foreach (var part in results.Breakdown)
        {
            AddRow(table, part, Format.Ratio(part.Best / results.Baseline.Best), "");
        }

        table.Print($"Reading {Format.Count(rows)} rows of (BIGINT, DOUBLE, VARCHAR, TIMESTAMP): {SelectSource}");
    }

    /// <summary>Runs the query and hands every row to a <typeparamref name="TConsumer"/>, which reads some of its columns.</summary>
    /// <remarks>A struct type parameter makes the JIT compile one loop per consumer, with the getters inlined into it.</remarks>
    private static long Read<TConsumer>(CheckedConnection connection, long expectedRows, bool streaming)
        where TConsumer : struct, IRowConsumer
    {
        using var command = connection.CreateCommand(SelectSource);
        command.UseStreamingMode = streaming;
        using var reader = command.ExecuteReader();
        var consumer = default(TConsumer);
        var rows = 0L;
        while (reader.Read())
        {
            consumer.Consume(reader);
            rows++;
        }

        EnsureRows("The reader", expectedRows, rows);
        return consumer.Checksum;
    }

    /// <summary>Reads some columns of the current row and folds them into a checksum the JIT cannot drop.</summary>
    /// <remarks>The checksums add integers (doubles by their bits), so they do not depend on the order rows come in.</remarks>
    private interface IRowConsumer
    {
        long Checksum { get; }

        void Consume(DbDataReader reader);
    }

    private struct AllColumns : IRowConsumer
    {
        private long _checksum;

        public readonly long Checksum => _checksum;

        public void Consume(DbDataReader reader) => _checksum +=
            reader.GetInt64(0)
            ^ BitConverter.DoubleToInt64Bits(reader.GetDouble(1))
            ^ reader.GetString(2).Length
            ^ reader.GetDateTime(3).Ticks;
    }

    private struct NoColumn : IRowConsumer
    {
        private long _checksum;

        public readonly long Checksum => _checksum;

        public void Consume(DbDataReader reader) => _checksum++;
    }

    private struct IdColumn : IRowConsumer
    {
        private long _checksum;

        public readonly long Checksum => _checksum;

        public void Consume(DbDataReader reader) => _checksum += reader.GetInt64(0);
    }

    private struct AmountColumn : IRowConsumer
    {
        private long _checksum;

        public readonly long Checksum => _checksum;

        public void Consume(DbDataReader reader) => _checksum += BitConverter.DoubleToInt64Bits(reader.GetDouble(1));
    }

    private struct LabelColumn : IRowConsumer
    {
        private long _checksum;

        public readonly long Checksum => _checksum;

        public void Consume(DbDataReader reader) => _checksum += reader.GetString(2).Length;
    }

    private struct OpenedAtColumn : IRowConsumer
    {
        private long _checksum;

        public readonly long Checksum => _checksum;

        public void Consume(DbDataReader reader) => _checksum += reader.GetDateTime(3).Ticks;
    }
}
