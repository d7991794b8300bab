using System.Globalization;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Examples.Crm;

/// <summary>
/// Writes seed 004's CRM landing data as the views of the source would deliver it once a day: one Parquet file per
/// table per day at <c>&lt;lake&gt;/landing/crm/&lt;table&gt;/ingestion_date=YYYY-MM-DD/crm-YYYY-MM-DD.parquet</c>.
/// Each day brings that day's verifications with their questions, one action per non-conforming answer, and a new
/// version of every older action whose status changed that day (em_andamento, then concluida or cancelada). About one
/// answer in 500 comes without its conformity, which silver quarantines.
/// </summary>
public static class CrmGenerator
{
    /// <summary>The source's name, which is also its landing folder.</summary>
    public const string SourceName = "crm";

    /// <summary>The source tables, in the order they are written.</summary>
    public static IReadOnlyList<string> Tables { get; } = ["verification", "verification_question", "action"];

    private static readonly string[] Responsaveis =
        ["Ana Souza", "Bruno Lima", "Carla Dias", "Diego Alves", "Elisa Rocha", "Fábio Nunes", "Gabriela Reis", "Hugo Martins"];

    private static readonly string[] Tipos = ["corretiva", "preventiva", "melhoria"];

    /// <summary>Writes the <see cref="CrmGeneratorOptions.Days"/> days from the start date; the landing folder must be empty or missing.</summary>
    /// <returns>The last day written.</returns>
    public static DateOnly Generate(string lakePath, CrmGeneratorOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(lakePath);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var landing = Path.Combine(lakePath, "landing", SourceName);
        if (Directory.Exists(landing) && Directory.EnumerateFileSystemEntries(landing).Any())
        {
            throw new InvalidOperationException($"The landing folder '{landing}' already holds data. Delete it to generate again, or call GenerateNextDay to add a day.");
        }

        using var connection = Open(options);
        for (var day = 0; day < options.Days; day++)
        {
            WriteDay(connection, lakePath, options, day);
        }

        return options.StartDate.AddDays(options.Days - 1);
    }

    /// <summary>Adds the day after the newest ingestion date in the lake; pass the options the lake was generated with.</summary>
    /// <returns>The day written.</returns>
    public static DateOnly GenerateNextDay(string lakePath, CrmGeneratorOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(lakePath);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var folder = Path.Combine(lakePath, "landing", SourceName, "verification");
        var newest = Directory.Exists(folder)
            ? Directory.EnumerateDirectories(folder, "ingestion_date=*")
                .Select(path => DateOnly.ParseExact(Path.GetFileName(path)["ingestion_date=".Length..], "yyyy-MM-dd", CultureInfo.InvariantCulture))
                .DefaultIfEmpty()
                .Max()
            : default;
        if (newest == default)
        {
            throw new InvalidOperationException($"No verifications have landed in '{folder}' yet. Call Generate first.");
        }

        using var connection = Open(options);
        var day = newest.DayNumber - options.StartDate.DayNumber + 1;
        WriteDay(connection, lakePath, options, day);
        return newest.AddDays(1);
    }

    private static void WriteDay(CheckedConnection connection, string lakePath, CrmGeneratorOptions options, int day)
    {
        var date = options.StartDate.AddDays(day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        foreach (var table in Tables)
        {
            var folder = Path.Combine(lakePath, "landing", SourceName, table, $"ingestion_date={date}");
            Directory.CreateDirectory(folder);
            var select = table switch
            {
                "verification" => $"SELECT * EXCLUDE (day) FROM crm_verifications({day}, {day})",
                "verification_question" => $"SELECT * EXCLUDE (day, organization_id, location_id, verification_date) FROM crm_questions({day}, {day})",
                _ => $"SELECT * EXCLUDE (event_day) FROM crm_action_versions({day}) WHERE event_day = {day}",
            };
            Execute(connection, $"COPY ({select} ORDER BY ALL) TO {SqlText.Literal(Path.Combine(folder, $"crm-{date}.parquet"))} (FORMAT parquet)");
        }
    }

    private static CheckedConnection Open(CrmGeneratorOptions options)
    {
        var connection = new CheckedConnection(new DuckDbSettings { Threads = 1 });
        connection.Open();
        var seed = options.Seed.ToString(CultureInfo.InvariantCulture);
        var start = SqlText.Literal(options.StartDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
        // h(name, id): a number from 0 to 999,999 that depends on the seed, the column and the row alone.
        Execute(connection, $"CREATE MACRO h(name, id) AS CAST(hash({seed}, name, id) % 1000000 AS BIGINT)");
        Execute(connection, $"""
            CREATE MACRO crm_verifications(first_day, last_day) AS TABLE
            SELECT
                d.day,
                d.day * {Number(options.VerificationsPerDay)} + i + 1 AS id_verification,
                'ORG' || (1 + h('org', id_verification) % {Number(options.Organizations)}) AS organization_id,
                organization_id || '-L' || lpad(CAST(1 + h('loc', id_verification) % {Number(options.LocationsPerOrganization)} AS VARCHAR), 2, '0') AS location_id,
                CAST(DATE {start} + CAST(d.day AS INTEGER) AS TIMESTAMP) + to_minutes(480 + h('min', id_verification) % 600) AS verification_date,
                'concluida' AS status,
                verification_date + INTERVAL 30 MINUTE AS updated_at
            FROM range(first_day, last_day + 1) d(day), range({Number(options.VerificationsPerDay)}) t(i)
            """);
        Execute(connection, $"""
            CREATE MACRO crm_questions(first_day, last_day) AS TABLE
            SELECT
                v.day,
                v.id_verification * 100 + q + 1 AS id_question,
                v.id_verification,
                'Pergunta ' || (q + 1) || CASE WHEN q < 3 THEN ' (controle crítico)' ELSE '' END AS question,
                q < 3 AS is_critical,
                CASE WHEN h('sem_resposta', id_question) % 500 = 0 THEN NULL
                     ELSE h('conforme', id_question) % 100 >= CASE WHEN q < 3 THEN 6 ELSE 12 END END AS is_conform,
                v.verification_date + to_minutes(q + 1) AS answered_at,
                v.organization_id, v.location_id, v.verification_date
            FROM crm_verifications(first_day, last_day) v, range({Number(options.QuestionsPerVerification)}) t(q)
            """);
        // Each non-conforming answer opens an action; it may start (em_andamento) a few days later and end
        // (concluida, or now and then cancelada) within 40 days, or stay open. Every change is a version that
        // lands on the day it happens.
        Execute(connection, $"""
            CREATE MACRO crm_action_versions(last_day) AS TABLE
            WITH acoes AS (
                SELECT
                    q.day AS opened_day,
                    q.id_question AS id_action, q.id_verification, q.id_question, q.organization_id, q.location_id,
                    {SqlText.LiteralList(Responsaveis)}[1 + h('responsavel', q.id_question) % {Number(Responsaveis.Length)}] AS responsavel,
                    {SqlText.LiteralList(Tipos)}[1 + h('tipo', q.id_question) % {Number(Tipos.Length)}] AS tipo,
                    CAST(q.verification_date AS DATE) + CAST(h('prazo', q.id_question) % 42 AS INTEGER) - 7 AS due_date,
                    q.answered_at + INTERVAL 1 HOUR AS opened_at,
                    q.day + 1 + h('inicio', q.id_question) % 5 AS started_day,
                    CASE WHEN h('fica_aberta', q.id_question) % 10 < 2 THEN NULL ELSE q.day + 2 + h('fim', q.id_question) % 40 END AS closed_day,
                    CASE WHEN h('cancela', q.id_question) % 10 = 0 THEN 'cancelada' ELSE 'concluida' END AS final_status
                FROM crm_questions(0, last_day) q
                WHERE q.is_conform = false
            ),
            versoes AS (
                SELECT *, opened_day AS event_day, 'aberta' AS status, NULL::TIMESTAMP AS closed_at FROM acoes
                UNION ALL
                SELECT *, started_day, 'em_andamento', NULL FROM acoes WHERE closed_day IS NULL OR started_day < closed_day
                UNION ALL
                SELECT *, closed_day, final_status, CAST(DATE {start} + CAST(closed_day AS INTEGER) AS TIMESTAMP) + INTERVAL 17 HOUR FROM acoes WHERE closed_day IS NOT NULL
            )
            SELECT
                event_day, id_action, id_verification, id_question, organization_id, location_id, responsavel, tipo, status, due_date,
                opened_at, closed_at,
                CASE WHEN event_day = opened_day THEN opened_at ELSE CAST(DATE {start} + CAST(event_day AS INTEGER) AS TIMESTAMP) + INTERVAL 17 HOUR END AS updated_at
            FROM versoes
            WHERE event_day <= last_day
            """);
        return connection;
    }

    private static void Execute(CheckedConnection connection, string sql)
    {
        using var command = connection.CreateCommand(sql);
        command.ExecuteNonQuery();
    }
}
