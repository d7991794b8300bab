using System.Globalization;
using Alquimia.Warehouse.DuckDb;
using static Alquimia.Examples.VCredit.VCreditSql;

namespace Alquimia.Examples.VCredit;

/// <summary>
/// Writes the V-Credit call centre's landing data (seed 000) as the source would deliver it: one Parquet file per table
/// per day at <c>&lt;lake&gt;/landing/postgres_public/&lt;table&gt;/ingestion_date=YYYY-MM-DD/day-NNNN.parquet</c>.
/// The data is generated inside DuckDB from <c>range()</c> and hashes of the seed, so ten million chamados take seconds
/// and the same options always give the same content.
/// </summary>
public static partial class VCreditGenerator
{
    /// <summary>The source's name, which is also its landing folder.</summary>
    public const string SourceName = "postgres_public";

    /// <summary>The source tables, in the order they are written.</summary>
    public static IReadOnlyList<string> Tables { get; } =
        ["atendentes", "clientes", "canais", "motivos", "custos_chamado", "pesquisas", "chamado_logs", "chamados"];

    /// <summary>
    /// Writes <see cref="VCreditGeneratorOptions.Days"/> days from <see cref="VCreditGeneratorOptions.StartDate"/>.
    /// The source's landing folder must be empty or missing: use <see cref="GenerateNextDay"/> to add to it.
    /// </summary>
    public static VCreditGenerationSummary Generate(string lakePath, VCreditGeneratorOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(lakePath);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var landing = LandingPath(lakePath);
        if (Directory.Exists(landing) && Directory.EnumerateFileSystemEntries(landing).Any())
        {
            throw new InvalidOperationException(
                $"The landing folder '{landing}' already holds data. Delete it to generate again, or call GenerateNextDay to add a day.");
        }

        using var connection = Open(options);
        var days = PlanFirstDays(connection, options);
        return Write(connection, lakePath, options, days);
    }

    /// <summary>
    /// Adds the day after the newest ingestion date in the lake: about <c>Rows / Days</c> new chamados (a few of them
    /// opened on earlier days and landing late), the final version of earlier chamados closed that day, and agents and
    /// clients changed that day. Pass the options the lake was generated with.
    /// </summary>
    public static VCreditGenerationSummary GenerateNextDay(string lakePath, VCreditGeneratorOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(lakePath);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var chamados = Path.Combine(LandingPath(lakePath), "chamados");
        var newest = NewestIngestionDate(chamados) ?? throw new InvalidOperationException(
            $"No chamados have landed in '{chamados}' yet. Call Generate first.");
        var day = newest.AddDays(1);

        using var connection = Open(options);
        var files = Str(Path.Combine(chamados, "*", "*.parquet"));
        var lastId = Convert.ToInt64(Scalar(connection, $"SELECT coalesce(max(id_chamado), 0) FROM read_parquet({files})"), CultureInfo.InvariantCulture);
        // A chamado is still open when the last version the lake holds of it is; it arrived with its first version.
        Execute(connection, $"""
            CREATE TEMP TABLE abertos AS
            SELECT id_chamado, aberto_em::DATE AS data_abertura, chegada
            FROM (
                SELECT id_chamado, aberto_em, status, min(ingestion_date) OVER (PARTITION BY id_chamado) AS chegada,
                       row_number() OVER (PARTITION BY id_chamado ORDER BY atualizado_em DESC, ingestion_date DESC, status) AS versao
                FROM (SELECT * REPLACE (CAST(ingestion_date AS DATE) AS ingestion_date) FROM read_parquet({files}, hive_partitioning = true))
            )
            WHERE versao = 1 AND lower(trim(status)) IN ('aberto', 'em_atendimento');
            """);
        PlanNextDay(connection, options, day, lastId);
        return Write(connection, lakePath, options, [day]);
    }

    private static VCreditGenerationSummary Write(CheckedConnection connection, string lakePath, VCreditGeneratorOptions options, List<DateOnly> days)
    {
        PlanDays(connection, options, days);
        var staging = Path.Combine(Path.GetFullPath(lakePath), ".vcredit-staging");
        var rows = new Dictionary<string, long>(StringComparer.Ordinal);
        var files = 0;
        try
        {
            foreach (var table in Tables)
            {
                var query = Rows(table, options);

                // One pass per table, split by day; the partitions are then renamed to the source's layout.
                var tableStaging = Path.Combine(staging, table);
                Directory.CreateDirectory(staging);
                using (var copy = connection.CreateCommand(
                    $"COPY ({query}) TO {Str(tableStaging)} (FORMAT parquet, COMPRESSION snappy, PARTITION_BY (lote), OVERWRITE_OR_IGNORE)"))
                {
                    rows[table] = copy.ExecuteNonQuery();
                }

                foreach (var day in days)
                {
                    PlaceDay(connection, query, tableStaging, LandingFile(lakePath, table, day, options.StartDate), day);
                    files++;
                }
            }
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }

        return new VCreditGenerationSummary(days, rows, files);
    }

    /// <summary>Creates <c>novos</c> with the chamados of the first <see cref="VCreditGeneratorOptions.Days"/> days; returns those days.</summary>
    private static List<DateOnly> PlanFirstDays(CheckedConnection connection, VCreditGeneratorOptions options)
    {
        var days = Enumerable.Range(0, options.Days).Select(options.StartDate.AddDays).ToList();
        var weights = days.Select(PesoDia).ToList();
        var rows = new List<string>();
        long first = 1;
        double carried = 0;
        for (var i = 0; i < days.Count; i++)
        {
            // Rounded so that the days add up to exactly Rows.
            carried += options.Rows * weights[i] / weights.Sum();
            var count = (long)Math.Round(carried) - (first - 1);
            rows.Add($"({Date(days[i])}, {Num(first)}::BIGINT, {Num(count)}::BIGINT)");
            first += count;
        }

        Execute(connection, $"""
            CREATE TEMP TABLE dias(dia DATE, primeiro BIGINT, qtd BIGINT);
            INSERT INTO dias VALUES {string.Join(", ", rows)};
            CREATE TEMP TABLE novos AS
            SELECT id_chamado, dia AS data_abertura,
                   CASE WHEN u(id_chamado, 'atraso') < {Num(options.LateRowShare)}
                        THEN least(dia + (1 + h(id_chamado, 'dias_atraso') % 3)::INTEGER, {Date(days[^1])})
                        ELSE dia END AS chegada
            FROM (SELECT dia, unnest(generate_series(primeiro, primeiro + qtd - 1)) AS id_chamado FROM dias WHERE qtd > 0);
            """);
        return days;
    }

    /// <summary>
    /// Creates <c>novos</c> for <paramref name="day"/>: about <c>Rows / Days</c> new chamados after <paramref name="lastId"/>,
    /// and the chamados of <c>abertos(id_chamado, data_abertura, chegada)</c>, still open, planned again (a plan depends
    /// only on the id, the opening day and the arrival, so it comes out the same).
    /// </summary>
    private static void PlanNextDay(CheckedConnection connection, VCreditGeneratorOptions options, DateOnly day, long lastId)
    {
        var count = Math.Max(1, (long)Math.Round(options.Rows / (double)options.Days * PesoDia(day)));
        Execute(connection, $"""
            CREATE TEMP TABLE novos AS
            SELECT id_chamado,
                   CASE WHEN u(id_chamado, 'atraso') < {Num(options.LateRowShare)}
                        THEN {Date(day)} - (1 + h(id_chamado, 'dias_atraso') % 3)::INTEGER ELSE {Date(day)} END AS data_abertura,
                   {Date(day)} AS chegada
            FROM range({Num(lastId + 1)}, {Num(lastId + count + 1)}) r(id_chamado)
            UNION ALL
            SELECT id_chamado, data_abertura, chegada FROM abertos;
            """);
    }

    /// <summary>Creates <c>alvo</c> (the days to write) and <c>plano</c> (every chamado of <c>novos</c>, planned).</summary>
    private static void PlanDays(CheckedConnection connection, VCreditGeneratorOptions options, List<DateOnly> days)
    {
        var alvo = days.Select(day => $"({Num(day.DayNumber - options.StartDate.DayNumber + 1)}, {Date(day)})");
        Execute(connection, $"CREATE OR REPLACE TEMP TABLE alvo(idx BIGINT, dia DATE);\nINSERT INTO alvo VALUES {string.Join(", ", alvo)};");
        Execute(connection, Plano(options));
    }

    /// <summary>The rows the source sends of <paramref name="table"/> on the days in <c>alvo</c>, each with the day it lands (<c>lote</c>).</summary>
    private static string Rows(string table, VCreditGeneratorOptions options) => table switch
    {
        "atendentes" => Atendentes(options.Atendentes, options.StartDate),
        "clientes" => Clientes(options.Clientes, options.StartDate),
        "canais" => CanaisSelect(options.StartDate),
        "motivos" => MotivosSelect(options.StartDate),
        "custos_chamado" => VersoesCustos(),
        "pesquisas" => VersoesPesquisas(),
        "chamado_logs" => VersoesLogs(),
        _ => VersoesChamados(),
    };

    /// <summary>
    /// Writes a day's partition as its landing file, rows sorted by all their values: the partitions are written on
    /// every thread, in an order that changes from one generation to the next, and bronze takes a file's rows in file
    /// order, so the same seed must give the same order. A day without rows still gets a file, with no rows.
    /// </summary>
    private static void PlaceDay(CheckedConnection connection, string query, string tableStaging, string target, DateOnly day)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var partition = Path.Combine(tableStaging, $"lote={day:yyyy-MM-dd}");
        var parts = Directory.Exists(partition) ? Directory.GetFiles(partition, "*.parquet") : [];
        var source = parts.Length == 0
            ? $"SELECT * EXCLUDE (lote) FROM ({query}) WHERE false"
            : $"SELECT * FROM read_parquet({List(parts.Order(StringComparer.Ordinal).Select(Str))}, hive_partitioning = false) ORDER BY ALL";
        Execute(connection, $"SET preserve_insertion_order = true;\nCOPY ({source}) TO {Str(target)} (FORMAT parquet, COMPRESSION snappy);\nSET preserve_insertion_order = false");
    }

    private static string LandingFile(string lakePath, string table, DateOnly day, DateOnly start) =>
        Path.Combine(LandingPath(lakePath), table, $"ingestion_date={day:yyyy-MM-dd}", $"day-{day.DayNumber - start.DayNumber + 1:0000}.parquet");

    private static string LandingPath(string lakePath) => Path.Combine(Path.GetFullPath(lakePath), "landing", SourceName);

    private static DateOnly? NewestIngestionDate(string tableFolder)
    {
        if (!Directory.Exists(tableFolder))
        {
            return null;
        }

        DateOnly? newest = null;
        foreach (var folder in Directory.EnumerateDirectories(tableFolder, "ingestion_date=*"))
        {
            var text = Path.GetFileName(folder)["ingestion_date=".Length..];
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) && (newest is null || date > newest))
            {
                newest = date;
            }
        }

        return newest;
    }

    private static CheckedConnection Open(VCreditGeneratorOptions options)
    {
        var settings = new DuckDbSettings { Threads = options.Threads };
        var connection = new CheckedConnection(settings);
        try
        {
            connection.Open();
            // Rows within a file need no order, which lets DuckDB write Parquet on every thread.
            Execute(connection, "SET preserve_insertion_order = false;\n" + Macros(options.Seed));
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static void Execute(CheckedConnection connection, string sql)
    {
        using var command = connection.CreateCommand(sql);
        command.ExecuteNonQuery();
    }

    private static object? Scalar(CheckedConnection connection, string sql)
    {
        using var command = connection.CreateCommand(sql);
        return command.ExecuteScalar();
    }
}
