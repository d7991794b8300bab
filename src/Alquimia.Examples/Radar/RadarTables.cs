using System.Globalization;

namespace Alquimia.Examples.Radar;

/// <summary>
/// A table of the Radar database (seed 003): its DDL, and the INSERT … SELECT that fills it from MariaDB's sequence
/// engine (<c>seq_1_to_N</c>), so that the rows are made by the server, deterministically, from their number alone.
/// </summary>
/// <param name="Name">The table's name, as seed 003 lists it.</param>
/// <param name="Columns">The column definitions and keys, inside <c>CREATE TABLE name ( … )</c>.</param>
/// <param name="Rows">Its rows for a generation of <c>rows</c> stores' worth of data.</param>
/// <param name="Select">The SELECT over <c>seq_1_to_N</c> (column <c>seq</c>) giving its rows in column order.</param>
/// <param name="Charset">The table's character set: utf8mb4, latin1 for the legacy tables.</param>
public sealed record RadarTable(string Name, string Columns, Func<long, long> Rows, string Select, string Charset = "utf8mb4");

/// <summary>
/// The Radar tables: the 22 seed 003 names (stores, users, products, contests, analytics) with realistic columns,
/// types and relations, and 60 small ones (catalogs, settings, logs) so the database has the seed's 80+ tables.
/// Every MySQL type a Radar sync meets is here: unsigned BIGINT, DECIMAL, ENUM, SET, JSON, BIT, YEAR, DATETIME(6),
/// TIMESTAMP, BLOB, utf8mb4 text with emoji, and latin1 tables.
/// </summary>
public static class RadarTables
{
    /// <summary>Every table, parents before the tables that point to them.</summary>
    public static IReadOnlyList<RadarTable> All { get; } = [.. Main(), .. Small()];

    /// <summary>The tables named in seed 003 (and the two they point to: brand, distributor).</summary>
    private static IEnumerable<RadarTable> Main()
    {
        // The stores are the scale: everything else is a multiple or a fraction of them.
        static Func<long, long> Times(double factor, long least = 1) => rows => Math.Max(least, (long)(rows * factor));
        const string Updated = "TIMESTAMP '2026-01-01 00:00:00' + INTERVAL (seq * 7919 % 31536000) SECOND";

        yield return new("brand", """
            id INT UNSIGNED NOT NULL PRIMARY KEY, name VARCHAR(80) NOT NULL, manufacturer VARCHAR(120), active TINYINT(1) NOT NULL
            """, _ => 120, "SELECT seq, CONCAT('Marca ', seq), CONCAT('Laboratório ', 1 + seq % 17), seq % 11 <> 0 FROM seq_1_to_120");
        yield return new("product_category", """
            id INT UNSIGNED NOT NULL PRIMARY KEY, parent_id INT UNSIGNED NULL, name VARCHAR(80) NOT NULL,
            KEY (parent_id)
            """, _ => 60, "SELECT seq, IF(seq <= 8, NULL, 1 + seq % 8), ELT(1 + seq % 6, 'Medicamentos', 'Dermocosméticos', 'Higiene', 'Infantil', 'Suplementos', 'Genéricos') FROM seq_1_to_60");
        yield return new("distributor", """
            id SMALLINT UNSIGNED NOT NULL PRIMARY KEY, name VARCHAR(120) NOT NULL, cnpj CHAR(14) NOT NULL, region ENUM('norte','nordeste','centro-oeste','sudeste','sul') NOT NULL
            """, _ => 40, "SELECT seq, CONCAT('Distribuidora ', seq), LPAD(seq * 104729, 14, '0'), ELT(1 + seq % 5, 'norte', 'nordeste', 'centro-oeste', 'sudeste', 'sul') FROM seq_1_to_40");
        yield return new("store", """
            id BIGINT UNSIGNED NOT NULL PRIMARY KEY, cnpj CHAR(14) NOT NULL, name VARCHAR(120) NOT NULL, city VARCHAR(80) NOT NULL, state CHAR(2) NOT NULL,
            status ENUM('active','inactive','blocked') NOT NULL, opened_on DATE NOT NULL, created_at DATETIME(3) NOT NULL, updated_at TIMESTAMP NOT NULL,
            UNIQUE KEY (cnpj)
            """, Times(1), $$"""
            SELECT seq, LPAD(seq * 7907, 14, '0'), CONCAT('Farmácia ', ELT(1 + seq % 5, 'São João', 'Popular', 'do Povo', 'Saúde', 'Bem-Estar'), ' ', seq, IF(seq % 97 = 0, ' 💊', '')),
                   ELT(1 + seq % 6, 'São Paulo', 'Belo Horizonte', 'Curitiba', 'Salvador', 'Goiânia', 'Belém'), ELT(1 + seq % 6, 'SP', 'MG', 'PR', 'BA', 'GO', 'PA'),
                   ELT(1 + seq % 10, 'active', 'active', 'active', 'active', 'active', 'active', 'active', 'active', 'inactive', 'blocked'),
                   DATE '2010-01-01' + INTERVAL (seq * 37 % 5000) DAY, TIMESTAMP '2020-01-01 00:00:00' + INTERVAL (seq * 104729 % 157680000) SECOND + INTERVAL (seq % 1000) * 1000 MICROSECOND,
                   {{Updated}}
            FROM seq_1_to_{rows}
            """);
        yield return new("store_distributor", """
            store_id BIGINT UNSIGNED NOT NULL, distributor_id SMALLINT UNSIGNED NOT NULL, since DATE NOT NULL, is_primary TINYINT(1) NOT NULL,
            PRIMARY KEY (store_id, distributor_id)
            """, Times(2), "SELECT 1 + (seq - 1) DIV 2, 1 + (seq * 13 + (seq - 1) % 2 * 7) % 40, DATE '2015-01-01' + INTERVAL (seq % 3000) DAY, (seq - 1) % 2 = 0 FROM seq_1_to_{rows}");
        yield return new("store_metrics", """
            id BIGINT UNSIGNED NOT NULL PRIMARY KEY, store_id BIGINT UNSIGNED NOT NULL, reference_date DATE NOT NULL, revenue DECIMAL(14,2) NOT NULL,
            units INT NOT NULL, ticket_avg DECIMAL(10,4) NULL, updated_at DATETIME NOT NULL, KEY (store_id, reference_date)
            """, Times(30), """
            SELECT seq, 1 + (seq - 1) % {stores}, DATE '2026-01-01' + INTERVAL ((seq - 1) DIV {stores}) DAY, (seq * 7919 % 9000000) / 100 + 150,
                   seq * 31 % 900 + 10, IF(seq % 53 = 0, NULL, (seq * 7919 % 9000000) / 100 / (seq * 31 % 900 + 10)),
                   TIMESTAMP '2026-01-02 02:00:00' + INTERVAL ((seq - 1) DIV {stores}) DAY
            FROM seq_1_to_{rows}
            """);
        yield return new("store_general_strategy", """
            id BIGINT UNSIGNED NOT NULL PRIMARY KEY, store_id BIGINT UNSIGNED NOT NULL, strategy JSON NOT NULL, channels SET('app','web','phone','whatsapp') NOT NULL,
            updated_at TIMESTAMP NOT NULL, KEY (store_id)
            """, Times(1), $$"""
            SELECT seq, seq, JSON_OBJECT('focus', ELT(1 + seq % 3, 'genéricos', 'dermo', 'serviços'), 'discount_cap', (seq % 20) / 100, 'tiers', JSON_ARRAY(1, 2, 1 + seq % 5)),
                   ELT(1 + seq % 5, 'app', 'app,web', 'web,phone', 'app,web,whatsapp', ''), {{Updated}}
            FROM seq_1_to_{rows}
            """);
        yield return new("store_document", """
            id BIGINT UNSIGNED NOT NULL PRIMARY KEY, store_id BIGINT UNSIGNED NOT NULL, kind ENUM('alvara','crf','afe','licenca_sanitaria') NOT NULL,
            number VARCHAR(40) NOT NULL, issued_on DATE NOT NULL, expires_on DATE NULL, file_sha256 BINARY(32) NULL, KEY (store_id)
            """, Times(3), """
            SELECT seq, 1 + (seq - 1) DIV 3, ELT(1 + (seq - 1) % 3, 'alvara', 'crf', 'afe'), CONCAT('DOC-', seq * 7), DATE '2020-01-01' + INTERVAL (seq % 2000) DAY,
                   IF(seq % 4 = 0, NULL, DATE '2027-01-01' + INTERVAL (seq % 1000) DAY), IF(seq % 9 = 0, NULL, UNHEX(SHA2(seq, 256)))
            FROM seq_1_to_{rows}
            """);
        yield return new("user_document", """
            id BIGINT UNSIGNED NOT NULL PRIMARY KEY, cpf CHAR(11) NOT NULL, name VARCHAR(120) NOT NULL, birth_date DATE NULL, email VARCHAR(160) NULL
            """, Times(2), """
            SELECT seq, LPAD(seq * 100003 % 100000000000, 11, '0'), CONCAT(ELT(1 + seq % 6, 'Ana', 'João', 'Maria', 'José', 'Luíza', 'Conceição'), ' ', ELT(1 + seq % 4, 'Silva', 'Souza', 'Oliveira', 'Araújo')),
                   IF(seq % 13 = 0, NULL, DATE '1960-01-01' + INTERVAL (seq * 97 % 15000) DAY), IF(seq % 7 = 0, NULL, CONCAT('usuario', seq, '@radar.example'))
            FROM seq_1_to_{rows}
            """);
        yield return new("user_store", """
            user_id BIGINT UNSIGNED NOT NULL, store_id BIGINT UNSIGNED NOT NULL, role ENUM('owner','manager','clerk') NOT NULL, PRIMARY KEY (user_id, store_id)
            """, Times(2), "SELECT seq, 1 + (seq - 1) DIV 2, ELT(1 + (seq - 1) % 2 + (seq % 5 = 0), 'owner', 'manager', 'clerk') FROM seq_1_to_{rows}");
        yield return new("user_access", """
            id BIGINT UNSIGNED NOT NULL PRIMARY KEY, user_id BIGINT UNSIGNED NOT NULL, store_id BIGINT UNSIGNED NOT NULL, accessed_at DATETIME(6) NOT NULL,
            ip VARBINARY(16) NOT NULL, device ENUM('android','ios','web') NOT NULL, KEY (user_id)
            """, Times(20), """
            SELECT seq, 1 + seq % {users}, 1 + (seq % {users}) DIV 2, TIMESTAMP '2026-01-01 00:00:00' + INTERVAL (seq * 3571 % 31536000) SECOND + INTERVAL (seq % 999983) MICROSECOND,
                   INET6_ATON(CONCAT('10.', seq % 256, '.', seq DIV 256 % 256, '.', seq % 253 + 1)), ELT(1 + seq % 3, 'android', 'ios', 'web')
            FROM seq_1_to_{rows}
            """);
        yield return new("user_terms", """
            id BIGINT UNSIGNED NOT NULL PRIMARY KEY, user_id BIGINT UNSIGNED NOT NULL, terms_version VARCHAR(10) NOT NULL, accepted_at TIMESTAMP NOT NULL
            """, Times(2), $"SELECT seq, seq, CONCAT('v', 1 + seq % 4, '.0'), {Updated} FROM seq_1_to_{{rows}}");
        yield return new("product", """
            id BIGINT UNSIGNED NOT NULL PRIMARY KEY, name VARCHAR(200) NOT NULL, brand_id INT UNSIGNED NOT NULL, category_id INT UNSIGNED NOT NULL,
            price DECIMAL(12,2) NOT NULL, active BIT(1) NOT NULL, launched YEAR NULL, description TEXT NULL, KEY (brand_id), KEY (category_id)
            """, Times(5), """
            SELECT seq, CONCAT(ELT(1 + seq % 5, 'Dipirona', 'Paracetamol', 'Protetor Solar', 'Vitamina C', 'Fralda'), ' ', 1 + seq % 50, ELT(1 + seq % 3, ' mg', ' ml', ' un')),
                   1 + seq % 120, 1 + seq % 60, (seq * 7919 % 50000) / 100 + 1.99, seq % 17 <> 0, IF(seq % 10 = 0, NULL, 1990 + seq % 36),
                   IF(seq % 3 = 0, NULL, CONCAT('Descrição do produto ', seq, ': uso adulto e pediátrico, conservar em temperatura ambiente.'))
            FROM seq_1_to_{rows}
            """);
        yield return new("product_ean", """
            ean CHAR(13) NOT NULL PRIMARY KEY, product_id BIGINT UNSIGNED NOT NULL, KEY (product_id)
            """, Times(5), "SELECT CONCAT('789', LPAD(seq, 10, '0')), seq FROM seq_1_to_{rows}");
        yield return new("product_pbm", """
            id BIGINT UNSIGNED NOT NULL PRIMARY KEY, product_id BIGINT UNSIGNED NOT NULL, program VARCHAR(60) NOT NULL, discount_pct DECIMAL(5,2) NOT NULL,
            valid_from DATE NOT NULL, valid_to DATE NULL
            """, Times(1), """
            SELECT seq, 1 + seq * 3 % {products}, ELT(1 + seq % 4, 'Farmácia Popular', 'Vidalink', 'Funcional', 'ePharma'), (seq % 70) + 0.5, DATE '2025-01-01' + INTERVAL (seq % 300) DAY,
                   IF(seq % 5 = 0, NULL, DATE '2026-06-01' + INTERVAL (seq % 300) DAY)
            FROM seq_1_to_{rows}
            """);
        yield return new("contest", """
            id INT UNSIGNED NOT NULL PRIMARY KEY, name VARCHAR(120) NOT NULL, starts_on DATE NOT NULL, ends_on DATE NOT NULL, rules JSON NULL,
            status ENUM('draft','running','finished') NOT NULL
            """, _ => 48, """
            SELECT seq, CONCAT('Campanha ', ELT(1 + seq % 4, 'Verão', 'Inverno', 'Dia das Mães', 'Black Friday'), ' ', 2022 + seq % 5), DATE '2022-01-01' + INTERVAL (seq * 30) DAY,
                   DATE '2022-01-01' + INTERVAL (seq * 30 + 45) DAY, IF(seq % 6 = 0, NULL, JSON_OBJECT('min_units', seq * 10, 'stack', seq % 2 = 0)),
                   ELT(1 + seq % 3, 'draft', 'running', 'finished')
            FROM seq_1_to_48
            """);
        yield return new("contest_objective", """
            id BIGINT UNSIGNED NOT NULL PRIMARY KEY, contest_id INT UNSIGNED NOT NULL, product_id BIGINT UNSIGNED NULL, target_units INT NOT NULL, weight DECIMAL(6,3) NOT NULL
            """, _ => 480, "SELECT seq, 1 + (seq - 1) DIV 10, IF(seq % 4 = 0, NULL, 1 + seq * 11 % {products}), 100 + seq % 900, (1 + seq % 9) / 8 FROM seq_1_to_480");
        yield return new("contest_score", """
            id BIGINT UNSIGNED NOT NULL PRIMARY KEY, contest_id INT UNSIGNED NOT NULL, store_id BIGINT UNSIGNED NOT NULL, score DECIMAL(12,2) NOT NULL,
            scored_at DATETIME NOT NULL, KEY (contest_id, store_id)
            """, Times(10), """
            SELECT seq, 1 + seq % 48, 1 + seq % {stores}, (seq * 7919 % 1000000) / 100, TIMESTAMP '2026-01-01 00:00:00' + INTERVAL (seq * 613 % 31536000) SECOND
            FROM seq_1_to_{rows}
            """);
        yield return new("voucher", """
            id BIGINT UNSIGNED NOT NULL PRIMARY KEY, code CHAR(12) NOT NULL, store_id BIGINT UNSIGNED NOT NULL, value DECIMAL(10,2) NOT NULL,
            redeemed_at DATETIME NULL, expires_on DATE NOT NULL, UNIQUE KEY (code)
            """, Times(4), """
            SELECT seq, CONCAT('V', LPAD(seq, 11, '0')), 1 + seq % {stores}, 5 * (1 + seq % 20), IF(seq % 3 = 0, NULL, TIMESTAMP '2026-01-01 00:00:00' + INTERVAL (seq * 577 % 31536000) SECOND),
                   DATE '2026-03-01' + INTERVAL (seq % 365) DAY
            FROM seq_1_to_{rows}
            """);
        yield return new("brand_metrics_average", """
            brand_id INT UNSIGNED NOT NULL, reference_month DATE NOT NULL, avg_price DECIMAL(12,4) NOT NULL, avg_units DOUBLE NOT NULL,
            PRIMARY KEY (brand_id, reference_month)
            """, _ => 1440, "SELECT 1 + (seq - 1) % 120, DATE '2025-01-01' + INTERVAL ((seq - 1) DIV 120) MONTH, (seq * 7919 % 900000) / 10000 + 5, (seq * 31 % 10000) / 7 FROM seq_1_to_1440");
        yield return new("performance_indicators", """
            id BIGINT UNSIGNED NOT NULL PRIMARY KEY, store_id BIGINT UNSIGNED NOT NULL, indicator VARCHAR(40) NOT NULL, value DOUBLE NULL, period CHAR(7) NOT NULL
            """, Times(6), """
            SELECT seq, 1 + (seq - 1) DIV 6, ELT(1 + (seq - 1) % 6, 'ruptura', 'giro', 'margem', 'nps', 'conversao', 'ticket'), IF(seq % 41 = 0, NULL, (seq * 7919 % 100000) / 1000),
                   CONCAT('2026-', LPAD(1 + seq % 12, 2, '0'))
            FROM seq_1_to_{rows}
            """);
        yield return new("dashboard_data", """
            id BIGINT UNSIGNED NOT NULL PRIMARY KEY, store_id BIGINT UNSIGNED NOT NULL, payload JSON NOT NULL, generated_at TIMESTAMP NOT NULL
            """, Times(1), $$"""
            SELECT seq, seq, JSON_OBJECT('vendas', seq * 7 % 1000, 'metas', JSON_ARRAY(seq % 10, seq % 7), 'obs', IF(seq % 89 = 0, 'meta batida 🎯', 'ok')), {{Updated}}
            FROM seq_1_to_{rows}
            """);
    }

    /// <summary>
    /// The small tables a production schema carries beside the main ones: catalogs, settings, logs. Each has a few
    /// dozen rows; a fifth are latin1, as the oldest tables of a MySQL database often are.
    /// </summary>
    private static IEnumerable<RadarTable> Small()
    {
        string[] names =
        [
            "state", "city", "region", "pharmacy_chain", "payment_method", "delivery_zone", "holiday", "notification", "notification_template", "audit_log",
            "app_version", "feature_flag", "faq", "banner", "push_campaign", "survey", "survey_answer", "training", "training_module", "certificate",
            "supplier", "supplier_contact", "price_table", "price_table_item", "tax_rule", "ncm", "cest", "laboratory", "active_ingredient", "therapeutic_class",
            "prescription_type", "controlled_list", "stock_snapshot", "stock_movement_type", "return_reason", "complaint", "complaint_status", "ticket", "ticket_message", "sla_rule",
            "commission_rule", "goal_template", "ranking", "ranking_item", "badge", "user_badge", "invite", "referral", "login_attempt", "password_reset",
            "api_client", "webhook", "integration_log", "import_job", "export_job", "report_schedule", "report_run", "cms_page", "legal_text", "system_setting",
        ];
        foreach (var (name, index) in names.Select((name, index) => (name, index)))
        {
            var rows = 10 + index * 7 % 50;
            var charset = index % 5 == 4 ? "latin1" : "utf8mb4";
            yield return new(name, """
                id INT UNSIGNED NOT NULL PRIMARY KEY, code VARCHAR(20) NOT NULL, name VARCHAR(100) NOT NULL, active TINYINT(1) NOT NULL,
                created_at DATETIME NOT NULL, updated_at TIMESTAMP NULL
                """, _ => rows, string.Create(CultureInfo.InvariantCulture, $$"""
                SELECT seq, CONCAT(UPPER(LEFT('{{name}}', 3)), '-', LPAD(seq, 4, '0')), CONCAT('{{name.Replace('_', ' ')}} ', seq, IF(seq % 4 = 0, ' (configuração padrão)', '')),
                       seq % 6 <> 0, TIMESTAMP '2019-01-01 00:00:00' + INTERVAL (seq * 86413) SECOND, IF(seq % 5 = 0, NULL, TIMESTAMP '2025-01-01 00:00:00' + INTERVAL (seq * 3613) SECOND)
                FROM seq_1_to_{rows}
                """), charset);
        }
    }
}
