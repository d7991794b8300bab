using Alquimia.Warehouse.DuckDb;
using System.Globalization;
using System.Text;

namespace Alquimia.Examples.VCredit;

/// <summary>
/// The generator's SQL. Every pseudo-random value is <c>hash(seed, key, 'coluna')</c>: DuckDB's random() and setseed()
/// are not reproducible when a query runs on several threads, a hash of the row's key is.
/// </summary>
internal static partial class VCreditSql
{
    /// <summary>Channels 1..5, in id order, with the weights of the channel mix.</summary>
    internal static readonly (string Nome, string Tipo, decimal CustoMinuto, decimal CustoFixo, int Peso, double RespostaMin, double DuracaoMin)[] Canais =
    [
        ("telefone", "voz", 1.10m, 0.35m, 30, 2.0, 7.5),
        ("chat", "texto", 0.55m, 0.05m, 18, 4.0, 14.0),
        ("whatsapp", "texto", 0.45m, 0.25m, 32, 12.0, 18.0),
        ("email", "texto", 0.30m, 0.02m, 8, 240.0, 9.0),
        ("app", "texto", 0.25m, 0.03m, 12, 45.0, 11.0),
    ];

    /// <summary>Reasons 1..12, in id order, with their default priority and weight.</summary>
    internal static readonly (string Descricao, string Categoria, string Prioridade, int Peso)[] Motivos =
    [
        ("Segunda via de boleto", "cobranca", "baixa", 16),
        ("Renegociação de dívida", "cobranca", "media", 13),
        ("Cartão bloqueado", "cartao", "alta", 10),
        ("Contestação de compra", "cartao", "alta", 8),
        ("Aumento de limite", "credito", "baixa", 9),
        ("Portabilidade de crédito", "credito", "media", 4),
        ("Cancelamento de produto", "retencao", "media", 5),
        ("Consulta de fatura e saldo", "cartao", "baixa", 12),
        ("Atualização cadastral", "cadastro", "baixa", 6),
        ("Suspeita de fraude", "seguranca", "alta", 4),
        ("Quitação antecipada", "credito", "media", 6),
        ("Reclamação de cobrança indevida", "ouvidoria", "media", 7),
    ];

    /// <summary>Relative weight of chamados opened at each hour of the day (0..23): peaks mid-morning and mid-afternoon.</summary>
    private static readonly int[] s_pesoHora = [1, 1, 1, 1, 1, 2, 4, 8, 14, 19, 20, 17, 12, 13, 17, 18, 15, 12, 10, 8, 6, 4, 3, 2];

    /// <summary>Relative weight of each weekday (Sunday first): Mondays are the busiest, Sundays the quietest.</summary>
    private static readonly double[] s_pesoDiaSemana = [0.35, 1.25, 1.15, 1.10, 1.05, 1.00, 0.60];

    internal static double PesoDia(DateOnly dia) => s_pesoDiaSemana[(int)dia.DayOfWeek] / s_pesoDiaSemana.Average();

    /// <summary>The macros every other statement uses: u (uniform in [0,1)), h (a hash), pick (an element) and expo (exponential).</summary>
    internal static string Macros(long seed) => $"""
        CREATE OR REPLACE TEMP MACRO h(k, nome) AS hash({Num(seed)}::BIGINT, k, nome);
        CREATE OR REPLACE TEMP MACRO u(k, nome) AS (h(k, nome) % 1000000)::DOUBLE / 1000000.0;
        CREATE OR REPLACE TEMP MACRO pick(lista, k, nome) AS lista[1 + (h(k, nome) % len(lista)::UBIGINT)::BIGINT];
        CREATE OR REPLACE TEMP MACRO expo(media, k, nome) AS -(media) * ln(1.0 - u(k, nome));
        """;

    internal static string CanalPonderado => Weighted(Canais.Select((c, i) => (Num(i + 1), c.Peso)));

    internal static string MotivoPonderado => Weighted(Motivos.Select((m, i) => (Num(i + 1), m.Peso)));

    internal static string HoraPonderada => Weighted(s_pesoHora.Select((peso, hora) => (Num(hora), peso)));

    internal static string PrioridadePorMotivo => List(Motivos.Select(m => Str(m.Prioridade)));

    internal static string RespostaPorCanal => List(Canais.Select(c => Num(c.RespostaMin)));

    internal static string DuracaoPorCanal => List(Canais.Select(c => Num(c.DuracaoMin)));

    internal static string CustoMinutoPorCanal => List(Canais.Select(c => Num(c.CustoMinuto)));

    internal static string CustoFixoPorCanal => List(Canais.Select(c => Num(c.CustoFixo)));

    internal static string Date(DateOnly day) => $"DATE '{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}'";

    internal static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);

    internal static string Num(double value) => value.ToString("0.0###########", CultureInfo.InvariantCulture);

    internal static string Num(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    internal static string Str(string value) => SqlText.Literal(value);

    internal static string List(IEnumerable<string> items) => "[" + string.Join(", ", items) + "]";

    /// <summary>A list in which each value appears as many times as its weight, for <c>pick</c>.</summary>
    private static string Weighted(IEnumerable<(string Value, int Weight)> items)
    {
        var list = new StringBuilder("[");
        foreach (var (value, weight) in items)
        {
            for (var i = 0; i < weight; i++)
            {
                list.Append(list.Length > 1 ? ", " : "").Append(value);
            }
        }

        return list.Append(']').ToString();
    }
}
