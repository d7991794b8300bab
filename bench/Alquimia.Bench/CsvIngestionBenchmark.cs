using Alquimia.Warehouse.DuckDb;
using Alquimia.Orchestration;
using Alquimia.Projects;
using Alquimia.Warehouse;

namespace Alquimia.Bench;

/// <summary>
/// A folder of CSV files → bronze (issue 5): a files source of V-Credit <c>chamados</c>, taken into bronze by
/// <c>alquimia ingest</c> (each file recorded once, the bronze columns added, the schema read from the files), against
/// DuckDB's own <c>read_csv</c> of the same folder into a table, in the same run.
/// </summary>
internal sealed class CsvIngestionBenchmark : IBenchmark
{
    /// <summary>The figure: a 1 GB folder. At about 160 bytes a row, that is 6.5M rows.</summary>
    private const long BytesPerRowEstimate = 160;

    private const int Files = 8;

    public string Name => "csv";

    public string Description => "a folder of CSV chamados → bronze, against DuckDB's read_csv into a table (--rows N; the default writes about 1 GB)";

    public void Run(BenchmarkOptions options)
    {
        var rows = options.Rows == BenchmarkOptions.DefaultRows ? 1024L * 1024 * 1024 / BytesPerRowEstimate : options.Rows;
        var folder = Path.Combine(Path.GetTempPath(), $"alquimia-bench-csv-{Environment.ProcessId}");
        try
        {
            var project = WriteProject(folder);
            var landing = Path.Combine(project, "lake", "landing", "vcredit", "chamados");
            Console.WriteLine($"Writing {Format.Count(rows)} chamados as {Files} CSV files ...");
            var bytes = WriteCsv(landing, rows);
            var baseline = Path.Combine(folder, "baseline.duckdb");

            var measured = Measure.Interleaved(
                options,
                new Workload("DuckDB read_csv → table", rows, () => ReadCsv(baseline, landing), Prepare: () => Delete(baseline)),
                new Workload("alquimia ingest: CSV files → bronze", rows, () => Ingest(project), Prepare: () => Delete(Path.Combine(project, "warehouse.duckdb"))));

            var raw = measured[0];
            var table = new ResultTable("workload", "best ms", "median ms", "rows/s", "MB/s", "vs read_csv", "peak RSS");
            foreach (var result in measured)
            {
                table.Add(
                    result.Name, Format.Milliseconds(result.Best), Format.Milliseconds(result.Median), Format.RowsPerSecond(result.RowsPerSecond),
                    (bytes / result.Best.TotalSeconds / 1e6).ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
                    Format.Percent(result.RowsPerSecond / raw.RowsPerSecond) + " of its rows/s", Format.Megabytes(result.PeakWorkingSetBytes));
            }

            table.Print($"CSV folder → bronze, {Format.Count(rows)} chamados in {Files} files, {Format.Megabytes(bytes)}");
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static string WriteProject(string folder)
    {
        var project = Path.Combine(folder, "project");
        Directory.CreateDirectory(Path.Combine(project, "sources"));
        File.WriteAllText(Path.Combine(project, "alquimia.yml"), "name: bench\nduckdb:\n  memory_limit: 2GB\n");
        File.WriteAllText(Path.Combine(project, "sources", "vcredit.yml"), "name: vcredit\nformat: csv\ntables:\n  - name: chamados\n");
        return project;
    }

    /// <summary>The chamados of the PostgreSQL benchmark, written by DuckDB in <see cref="Files"/> files; returns their total size.</summary>
    private static long WriteCsv(string folder, long rows)
    {
        Directory.CreateDirectory(folder);
        using var connection = new CheckedConnection("Data Source=:memory:");
        connection.Open();
        var perFile = (rows + Files - 1) / Files;
        for (var file = 0; file < Files; file++)
        {
            var (from, to) = (file * perFile + 1, Math.Min(rows, (file + 1) * perFile));
            connection.Execute(
                $"""
                COPY (
                    SELECT g AS id_chamado, g % 200000 AS id_cliente, g % 400 AS id_atendente,
                           ['telefone', 'chat', 'email', 'whatsapp'][1 + g % 4] AS canal, 'motivo ' || (g % 37) AS motivo,
                           ['aberto', 'em_atendimento', 'resolvido', 'fechado'][1 + g % 4] AS status,
                           ['baixa', 'media', 'alta', 'critica'][1 + g % 4] AS prioridade,
                           TIMESTAMP '2026-01-01' + to_seconds(g) AS aberto_em,
                           TIMESTAMP '2026-01-01' + to_seconds(g) + INTERVAL 2 HOUR AS encerrado_em,
                           TIMESTAMP '2026-01-01' + to_seconds(g) + INTERVAL 5 MINUTE AS primeira_resposta_em,
                           TIMESTAMP '2026-01-01' + to_seconds(g) + INTERVAL 3 HOUR AS atualizado_em,
                           CAST(round((g % 10000) / 100.0, 2) AS DECIMAL(12,2)) AS custo
                    FROM range({from}, {to + 1}) t(g))
                TO '{Path.Combine(folder, $"chamados-{file:D2}.csv")}' (HEADER)
                """);
        }

        return Directory.EnumerateFiles(folder).Sum(path => new FileInfo(path).Length);
    }

    private static long ReadCsv(string database, string folder)
    {
        // Opened as alquimia opens its warehouse, so the table is written in the same storage format as bronze.
        using var connection = new CheckedConnection(EmbeddedWarehouse.ConnectionStringFor(database, memoryLimit: "2GB"));
        connection.Open();
        return connection.Execute($"CREATE TABLE chamados AS SELECT * FROM read_csv('{folder}/*.csv', union_by_name = true, header = true)");
    }

    private static long Ingest(string project)
    {
        var summary = CliRun.Run(ProjectLoader.Load(project), new RunOptions { Selector = "source:vcredit" });
        var step = summary.Steps.Single();
        return step.Error is null ? step.RowsInserted : throw new InvalidOperationException(step.Error);
    }

    private static void Delete(string database)
    {
        File.Delete(database);
        File.Delete(database + ".wal");
    }
}
