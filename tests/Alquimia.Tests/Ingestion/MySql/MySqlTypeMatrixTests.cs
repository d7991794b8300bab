using System.Globalization;
using System.Numerics;
using Alquimia.Orchestration;
using Alquimia.Warehouse;

namespace Alquimia.Tests.Ingestion.MySql;

/// <summary>
/// Every MySQL type docs/projects.md lists, at its edges, landed from a real MariaDB and compared value by value with
/// MariaDB's own text of the value, brought to one exact form per type: floats by their bits, decimals by their digits,
/// instants by microseconds since 1970, TIME by its microseconds. A table per group, so that a rejected value hides no
/// other.
/// </summary>
[Collection(MariaDbTests.Name)]
public sealed class MySqlTypeMatrixTests : MariaDbProjectTests
{
    private const string Null = "(null)";

    public MySqlTypeMatrixTests(MariaDbServer server)
        : base(server, "name: radar\nretries: 0\n")
    {
    }

    [Fact]
    public async Task IntegersSignedAndUnsigned_AndYears_AtTheirEdges_LandExactly()
    {
        MariaDbServer.Execute(Database, """
            CREATE TABLE inteiros (id INT, ti TINYINT, tu TINYINT UNSIGNED, si SMALLINT, su SMALLINT UNSIGNED, mi MEDIUMINT, mu MEDIUMINT UNSIGNED,
                i INT, iu INT UNSIGNED, bi BIGINT, bu BIGINT UNSIGNED, bo BOOL, y YEAR);
            INSERT INTO inteiros VALUES
                (1, -128, 0, -32768, 0, -8388608, 0, -2147483648, 0, -9223372036854775808, 0, 0, 1901),
                (2, 127, 255, 32767, 65535, 8388607, 16777215, 2147483647, 4294967295, 9223372036854775807, 18446744073709551615, 1, 2155),
                (3, 0, 1, 0, 1, 0, 1, 0, 1, 0, 9007199254740993, 127, 0),
                (4, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
            """);
        WriteSource(Tables("inteiros"));

        var steps = await Sync();

        Assert.Equal(RunStatus.Succeeded, steps["inteiros"].Status);
        Assert.Equal(
            ["ti:TINYINT", "tu:UTINYINT", "si:SMALLINT", "su:USMALLINT", "mi:INTEGER", "mu:UINTEGER", "i:INTEGER", "iu:UINTEGER", "bi:BIGINT", "bu:UBIGINT", "bo:TINYINT", "y:SMALLINT"],
            Types("inteiros"));
        foreach (var column in new[] { "ti", "tu", "si", "su", "mi", "mu", "i", "iu", "bi", "bu", "bo" })
        {
            AssertSame("inteiros", column, Oracle.Text);
        }

        // MySQL writes the year 0 as 0000: the same number.
        AssertSame("inteiros", "y", Oracle.Text with { MySql = value => $"CAST({value} + 0 AS CHAR)" });
    }

    [Fact]
    public async Task Decimals_UpTo38DigitsExactly_AndUpTo65AsTheirTextWithAWarning()
    {
        MariaDbServer.Execute(Database, """
            CREATE TABLE decimais (id INT, d38 DECIMAL(38,10), d0 DECIMAL(38,0), d4 DECIMAL(4,4), d2 DECIMAL(12,2) UNSIGNED);
            INSERT INTO decimais VALUES
                (1, 9999999999999999999999999999.9999999999, 99999999999999999999999999999999999999, 0.9999, 9999999999.99),
                (2, -9999999999999999999999999999.9999999999, -99999999999999999999999999999999999999, -0.9999, 0),
                (3, 0.0000000001, 1, 0.0001, 0.01), (4, 0, 0, 0, 100.10), (5, NULL, NULL, NULL, NULL);
            CREATE TABLE decimais_largos (id INT, d65 DECIMAL(65,30), d65i DECIMAL(65,0));
            INSERT INTO decimais_largos VALUES
                (1, 99999999999999999999999999999999999.999999999999999999999999999999, 99999999999999999999999999999999999999999999999999999999999999999),
                (2, -99999999999999999999999999999999999.999999999999999999999999999999, -99999999999999999999999999999999999999999999999999999999999999999),
                (3, 0.000000000000000000000000000001, 1), (4, NULL, NULL);
            """);
        WriteSource(Tables("decimais", "decimais_largos"));

        var steps = await Sync();

        Assert.Equal(RunStatus.Succeeded, steps["decimais"].Status);
        Assert.Equal(["d38:DECIMAL(38,10)", "d0:DECIMAL(38,0)", "d4:DECIMAL(4,4)", "d2:DECIMAL(12,2)"], Types("decimais"));
        AssertSame("decimais", "d38", Oracle.Decimal);
        AssertSame("decimais", "d0", Oracle.Decimal);
        AssertSame("decimais", "d4", Oracle.Decimal);
        AssertSame("decimais", "d2", Oracle.Decimal);
        Assert.Equal(RunStatus.Warning, steps["decimais_largos"].Status);
        Assert.Contains("column 'd65' is decimal(65,30), more digits than DuckDB's DECIMAL holds (38)", steps["decimais_largos"].Warning, StringComparison.Ordinal);
        Assert.Equal(["d65:VARCHAR", "d65i:VARCHAR"], Types("decimais_largos"));
        AssertSame("decimais_largos", "d65", Oracle.Text);
        AssertSame("decimais_largos", "d65i", Oracle.Text);
    }

    [Fact]
    public async Task FloatsAndDoubles_LandToTheBit()
    {
        MariaDbServer.Execute(Database, """
            CREATE TABLE flutuantes (id INT, f FLOAT, d DOUBLE);
            INSERT INTO flutuantes VALUES (1, 3.402823466e38, 1.7976931348623157e308), (2, -3.40282e38, -1.7976931348623157e308),
                (3, 1.4e-45, 5e-324), (4, 1.17549435e-38, 2.2250738585072014e-308), (5, 0.1, 0.1), (6, 0, 0), (7, NULL, NULL);
            """);
        WriteSource(Tables("flutuantes"));

        var steps = await Sync();

        Assert.Equal(RunStatus.Succeeded, steps["flutuantes"].Status);
        Assert.Equal(["f:FLOAT", "d:DOUBLE"], Types("flutuantes"));
        // MariaDB's text of a FLOAT keeps 6 digits (3.40282e38): the oracle is the double it widens to, which is exact.
        AssertSame("flutuantes", "f", Oracle.Float4 with { MySql = value => $"CAST(CAST({value} AS DOUBLE) AS CHAR)" });
        AssertSame("flutuantes", "d", Oracle.Float8);
        Assert.Equal(["5|0.1"], Query("SELECT id || '|' || f FROM bronze.flutuantes WHERE id = 5"));
    }

    [Fact]
    public async Task BitsEnumsSetsAndJson_LandAsTheirValues()
    {
        MariaDbServer.Execute(Database, """
            CREATE TABLE marcadores (id INT, b1 BIT(1), b5 BIT(5), b64 BIT(64), e ENUM('feliz', 'ação', '☕'), s SET('a', 'b', 'ç'), j JSON);
            INSERT INTO marcadores VALUES
                (1, b'1', b'10101', b'1111111111111111111111111111111111111111111111111111111111111111', 'ação', 'a,ç', '{"n": 1.0000000000000000001, "e": "😀"}'),
                (2, b'0', b'0', b'0', '☕', '', '[1e400, -0, 12345678901234567890123]'),
                (3, NULL, b'1', b'1000000000000000000000000000000000000000000000000000000000000000', 'feliz', 'a,b,ç', '{"b": 1,  "a": [ ]}'),
                (4, NULL, NULL, NULL, NULL, NULL, NULL);
            """);
        WriteSource(Tables("marcadores"));

        var steps = await Sync();

        Assert.Equal(RunStatus.Succeeded, steps["marcadores"].Status);
        Assert.Equal(["b1:BOOLEAN", "b5:UBIGINT", "b64:UBIGINT", "e:VARCHAR", "s:VARCHAR[]", "j:JSON"], Types("marcadores"));
        var bits = Oracle.Text with { MySql = value => $"CAST({value} + 0 AS CHAR)" };
        AssertSame("marcadores", "b1", bits with { DuckDb = value => $"CAST(CAST({value} AS UTINYINT) AS VARCHAR)" });
        AssertSame("marcadores", "b5", bits);
        AssertSame("marcadores", "b64", bits);
        AssertSame("marcadores", "e", Oracle.Text);
        AssertSame("marcadores", "s", Oracle.Text with { DuckDb = value => $"array_to_string({value}, ',')" });
        AssertSame("marcadores", "j", Oracle.Text);
        // The empty set is an empty list, apart from NULL; each member is an element.
        Assert.Equal(["1|2", "2|0", "3|3", "4|(null)"], Query("SELECT id || '|' || coalesce(len(s)::VARCHAR, '(null)') FROM bronze.marcadores ORDER BY id"));
    }

    [Fact]
    public async Task TextInUtf8mb4AndLatin1_AndBytes_LandExactly()
    {
        MariaDbServer.Execute(Database, """
            CREATE TABLE textos (id INT, t TEXT, vc VARCHAR(20), ch CHAR(5), bl BLOB, bn BINARY(4), vb VARBINARY(10), uid CHAR(36)) CHARACTER SET utf8mb4;
            INSERT INTO textos VALUES
                (1, '', '', '', '', 0x00, X'', ''),
                (2, 'ação ☕ 😀 𝄞 "aspas" \\ barra', '😀😀', 'ab', 0x00FF0010, 0xFFFFFFFF, 0x00, '6F9619FF-8B86-D011-B42D-00C04FC964FF'),
                (3, 'linha\nnova\ttab', ' ', ' a', REPEAT(0xAB, 70000 DIV 2), 0x01, 0x0102, 'código-de-loja-que-não-é-um-uuid-xyz'),
                (4, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
            CREATE TABLE textos_latin1 (id INT, t VARCHAR(40), ch CHAR(3)) CHARACTER SET latin1;
            INSERT INTO textos_latin1 VALUES (1, 'ação € ÿ ß £', 'é'), (2, '', ''), (3, NULL, NULL);
            """);
        WriteSource(Tables("textos", "textos_latin1"));

        var steps = await Sync();

        Assert.Equal(RunStatus.Succeeded, steps["textos"].Status);
        Assert.Equal(RunStatus.Succeeded, steps["textos_latin1"].Status);
        Assert.Equal(["t:VARCHAR", "vc:VARCHAR", "ch:VARCHAR", "bl:BLOB", "bn:BLOB", "vb:BLOB", "uid:VARCHAR"], Types("textos"));
        AssertSame("textos", "t", Oracle.Text);
        AssertSame("textos", "vc", Oracle.Text);
        AssertSame("textos", "ch", Oracle.Text);
        // A CHAR(36) is text, whatever it holds: MySqlConnector would read it as a Guid (lowercased, or failing on any other text).
        AssertSame("textos", "uid", Oracle.Text);
        AssertSame("textos", "bl", Oracle.Bytes);
        AssertSame("textos", "bn", Oracle.Bytes);
        AssertSame("textos", "vb", Oracle.Bytes);
        AssertSame("textos_latin1", "t", Oracle.Text);
        AssertSame("textos_latin1", "ch", Oracle.Text);
        Assert.Equal(["1|ação € ÿ ß £|é"], Query("SELECT id || '|' || t || '|' || ch FROM bronze.textos_latin1 WHERE id = 1"));
    }

    [Fact]
    public async Task DatesDatetimesTimestampsAndTimes_AtTheirEdges_LandExactly()
    {
        MariaDbServer.Execute(Database, """
            CREATE TABLE tempos (id INT, d DATE, dt DATETIME(6), ts TIMESTAMP(6) NULL, tm TIME(6));
            INSERT INTO tempos VALUES
                (1, '1000-01-01', '1000-01-01 00:00:00', '1970-01-01 00:00:01', '-838:59:59'),
                (2, '9999-12-31', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999999', '838:59:59'),
                (3, '2024-02-29', '2026-03-08 02:30:00.5', '2026-11-02 01:30:00.000001', '-00:00:00.000001'),
                (4, '0001-01-01', '0001-01-01 00:00:00', '2000-01-01 00:00:00', '24:00:00'),
                (5, NULL, NULL, NULL, NULL);
            """);
        WriteSource(Tables("tempos"));

        var steps = await Sync();

        Assert.Equal(RunStatus.Succeeded, steps["tempos"].Status);
        Assert.Equal(["d:DATE", "dt:TIMESTAMP", "ts:TIMESTAMP WITH TIME ZONE", "tm:VARCHAR"], Types("tempos"));
        AssertSame("tempos", "d", Oracle.Date);
        AssertSame("tempos", "dt", Oracle.Instant);
        // The test server's zone is UTC, as the connector's sessions are: TIMESTAMPDIFF reads the instant.
        AssertSame("tempos", "ts", Oracle.Instant);
        AssertSame("tempos", "tm", Oracle.Text);
        AssertSame("tempos", "tm", Oracle.Duration);
    }

    [Fact]
    public async Task ZeroDates_FailTheirTable_NamingTheColumnAndTheFix_WhileTheOtherTablesLand()
    {
        MariaDbServer.Execute(Database, """
            SET SESSION sql_mode = '';
            CREATE TABLE pedidos (id INT, criado DATE, enviado DATETIME, visto TIMESTAMP NULL);
            INSERT INTO pedidos VALUES (1, '2026-01-02', '2026-01-02 10:00:00', '2026-01-02 10:00:00'), (2, '0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00'),
                (3, '2026-00-10', '2026-05-00 12:00:00', NULL), (4, NULL, NULL, NULL), (5, '0000-03-10', '0000-03-10 08:00:00', NULL);
            CREATE TABLE clientes (id INT, nome VARCHAR(10));
            INSERT INTO clientes VALUES (1, 'Ana'), (2, 'Rui');
            CREATE TABLE antigas (id INT, d DATE);
            INSERT INTO antigas VALUES (1, '0000-03-10');
            """);
        WriteSource(Tables("pedidos", "clientes", "sumida", "antigas"));

        var steps = await Sync();

        Assert.Equal(RunStatus.Failed, steps["pedidos"].Status);
        Assert.Equal(
            $"Source 'vendas': a value of column 'criado' (date) of table {DatabaseName}.pedidos cannot be landed: '0000-00-00' is a MySQL zero date, which no calendar has, "
            + "so DuckDB has no such DATE. Set zero_dates: null on the source to land such values as NULL (each step then counts them in a warning), or fix the value in the source (e.g. NULL).",
            steps["pedidos"].Error);
        Assert.Equal(
            $"Source 'vendas': a value of column 'd' (date) of table {DatabaseName}.antigas cannot be landed: '0000-03-10' is in the year 0, below MySQL's supported range (from 1000), "
            + "so DuckDB has no such DATE. Set zero_dates: null on the source to land such values as NULL (each step then counts them in a warning), or fix the value in the source (e.g. NULL).",
            steps["antigas"].Error);
        Assert.Equal(RunStatus.Failed, steps["sumida"].Status);
        Assert.StartsWith($"Source 'vendas': table {DatabaseName}.sumida does not exist in 127.0.0.1:", steps["sumida"].Error, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Succeeded, steps["clientes"].Status);
        Assert.Equal(["1|Ana", "2|Rui"], Query("SELECT id || '|' || nome FROM bronze.clientes ORDER BY id"));

        WriteSource(Tables("pedidos"), "zero_dates: null\n");
        var nulls = await Sync();

        Assert.Equal(RunStatus.Warning, nulls["pedidos"].Status);
        Assert.Equal(
            "pedidos: 3 zero dates of column 'criado' landed as NULL (zero_dates: null); pedidos: 3 zero dates of column 'enviado' landed as NULL (zero_dates: null); "
            + "pedidos: 1 zero dates of column 'visto' landed as NULL (zero_dates: null)",
            nulls["pedidos"].Warning);
        Assert.Equal(
            ["1|2026-01-02|2026-01-02 10:00:00|1767348000000000", "2|||", "3|||", "4|||", "5|||"],
            Query("SELECT id || '|' || concat_ws('|', coalesce(criado::VARCHAR, ''), coalesce(enviado::VARCHAR, ''), coalesce(epoch_us(visto)::VARCHAR, '')) FROM bronze.pedidos ORDER BY id"));
    }

    [Fact]
    public async Task ImpossibleDays_KeptUnderAllowInvalidDates_FailTheirTable_NamingTheColumnTheValueAndTheFix()
    {
        MariaDbServer.Execute(Database, """
            SET SESSION sql_mode = 'ALLOW_INVALID_DATES';
            CREATE TABLE entregas (id INT, prevista DATE, feita DATETIME);
            INSERT INTO entregas VALUES (1, '2026-01-31', '2026-01-31 10:00:00'), (2, '2026-03-01', '2026-02-31 08:30:00');
            """);
        WriteSource(Tables("entregas"), "zero_dates: null\n");

        var steps = await Sync();

        Assert.Equal(RunStatus.Failed, steps["entregas"].Status);
        Assert.Equal(
            $"Source 'vendas': a value of column 'feita' (datetime) of table {DatabaseName}.entregas cannot be landed: '2026-02-31 08:30:00' is not a day of the calendar "
            + "(MySQL keeps it under sql_mode ALLOW_INVALID_DATES), so DuckDB has no such TIMESTAMP. Fix the value in the source (e.g. the month's last day, or NULL).",
            steps["entregas"].Error);
    }

    private string DatabaseName => new MySqlConnector.MySqlConnectionStringBuilder(Database).Database;

    /// <summary>Each row's value of the column in MariaDB and in bronze, in the oracle's exact form, in the same order.</summary>
    private void AssertSame(string table, string column, Oracle oracle)
    {
        var mysql = MariaDbServer.Query(Database, $"SELECT CONCAT(id, '|', COALESCE({oracle.MySql(column)}, '{Null}')) FROM {table} ORDER BY id");
        var landed = Query($"SELECT id || '|' || coalesce({oracle.DuckDb(column)}, '{Null}') FROM bronze.{table} ORDER BY id");
        Assert.NotEmpty(mysql);
        Assert.Equal(mysql.Select(oracle.Exact), landed.Select(oracle.Exact));
    }

    private List<string> Types(string table) => Query(
        $"SELECT column_name || ':' || data_type FROM duckdb_columns() WHERE schema_name = 'bronze' AND table_name = '{table}' AND column_name NOT LIKE '\\_%' ESCAPE '\\' AND column_name <> 'id' ORDER BY column_index");

    /// <summary>
    /// How one type's values are compared: the SQL that writes a value as text in MariaDB and in DuckDB, and the exact
    /// form both texts are brought to (a row is "key|value"; only the value is changed).
    /// </summary>
    private sealed record Oracle(Func<string, string> MySql, Func<string, string> DuckDb, Func<string, string> Value)
    {
        public static readonly Oracle Text = new(value => $"CAST({value} AS CHAR)", value => $"CAST({value} AS VARCHAR)", value => value);

        public static readonly Oracle Bytes = new(value => $"HEX({value})", value => $"hex({value})", value => value);

        public static readonly Oracle Float4 = new(value => $"CAST({value} AS CHAR)", value => $"CAST({value} AS VARCHAR)", value => value == Null
            ? value
            : BitConverter.SingleToInt32Bits((float)double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture)).ToString("x8", CultureInfo.InvariantCulture));

        public static readonly Oracle Float8 = new(value => $"CAST({value} AS CHAR)", value => $"CAST({value} AS VARCHAR)", value => value == Null
            ? value
            : BitConverter.DoubleToInt64Bits(double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture)).ToString("x16", CultureInfo.InvariantCulture));

        /// <summary>A decimal by its sign, digits and scale: DuckDB writes 0.5 of a DECIMAL(4,4) as .5000.</summary>
        public static readonly Oracle Decimal = Text with
        {
            Value = value =>
            {
                if (value == Null)
                {
                    return value;
                }

                var point = value.IndexOf('.', StringComparison.Ordinal);
                var scale = point < 0 ? 0 : value.Length - point - 1;
                return $"{BigInteger.Parse(value.Replace(".", "", StringComparison.Ordinal), CultureInfo.InvariantCulture)}e-{scale}";
            },
        };

        /// <summary>Days since 1970.</summary>
        public static readonly Oracle Date = new(value => $"CAST(DATEDIFF({value}, '1970-01-01') AS CHAR)", value => $"CAST({value} - DATE '1970-01-01' AS VARCHAR)", value => value);

        /// <summary>Microseconds since 1970.</summary>
        public static readonly Oracle Instant = new(
            value => $"CAST(TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', {value}) AS CHAR)", value => $"CAST(epoch_us({value}) AS VARCHAR)", value => value);

        /// <summary>A TIME's microseconds, from MariaDB's TIME_TO_SEC and from DuckDB's reading of the landed text as an INTERVAL.</summary>
        public static readonly Oracle Duration = new(
            value => $"CAST(CAST(TIME_TO_SEC({value}) * 1000000 AS SIGNED) AS CHAR)",
            value => $"CAST(datepart('day', CAST({value} AS INTERVAL))::HUGEINT * 86400000000 + datepart('hour', CAST({value} AS INTERVAL))::HUGEINT * 3600000000 "
                + $"+ datepart('minute', CAST({value} AS INTERVAL)) * 60000000 + datepart('microseconds', CAST({value} AS INTERVAL)) AS VARCHAR)",
            value => value);

        public string Exact(string row) => row[..(row.IndexOf('|', StringComparison.Ordinal) + 1)] + Value(row[(row.IndexOf('|', StringComparison.Ordinal) + 1)..]);
    }
}
