using System.Globalization;
using System.Numerics;
using Alquimia.Orchestration;
using Alquimia.Warehouse;
using Alquimia.Tests.Orchestration;

namespace Alquimia.Tests.Ingestion.Postgres;

/// <summary>
/// Every PostgreSQL type docs/projects.md lists, at its edges, landed from a real server and compared value by value
/// with PostgreSQL's own text of the value, brought to one exact form per type: floats by their bits (-0 is not 0),
/// decimals by their digits, intervals by months, days and microseconds, instants by microseconds since 1970. A table
/// per group, so that a rejected value hides no other; a rejected one names the table, the column and the fix.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresTypeMatrixTests : PostgresProjectTests
{
    private const string Null = "(null)";

    public PostgresTypeMatrixTests(PostgresServer server)
        : base(server, "name: central\nretries: 0\n")
    {
    }

    [Fact]
    public async Task Numbers_AtTheirEdges_LandExactly()
    {
        PostgresServer.Execute(Database, """
            CREATE TABLE inteiros (id int4, i2 int2, i4 int4, i8 int8);
            INSERT INTO inteiros VALUES (1, -32768, -2147483648, -9223372036854775808), (2, 32767, 2147483647, 9223372036854775807), (3, 0, 0, 0), (4, NULL, NULL, NULL);
            CREATE TABLE flutuantes (id int4, f4 float4, f8 float8);
            INSERT INTO flutuantes VALUES (1, '-0', '-0'), (2, 'NaN', 'NaN'), (3, 'Infinity', 'Infinity'), (4, '-Infinity', '-Infinity'),
                (5, '1.4e-45', '5e-324'), (6, '3.4028235e38', '1.7976931348623157e308'), (7, '0.1', '0.1'), (8, 0, 0), (9, NULL, NULL);
            CREATE TABLE decimais (id int4, n38 numeric(38,10), n0 numeric(38,0), n2 numeric(12,2), n4 numeric(4,4));
            INSERT INTO decimais VALUES
                (1, 9999999999999999999999999999.9999999999, 99999999999999999999999999999999999999, 9999999999.99, 0.9999),
                (2, -9999999999999999999999999999.9999999999, -99999999999999999999999999999999999999, -9999999999.99, -0.9999),
                (3, 0.0000000001, 1, 0.01, 0.0001), (4, -0.0, 0, 0, 0), (5, 12345678.1234567891, 10000, 100.10, 0.5), (6, NULL, NULL, NULL, NULL);
            CREATE TABLE livres (id int4, n numeric, n40 numeric(40,2));
            INSERT INTO livres VALUES (1, 'NaN', 'NaN'), (2, 'Infinity', 0), (3, '-Infinity', -0.01),
                (4, 123456789012345678901234567890123456789012345.678901234567890, 12345678901234567890123456789012345678.91),
                (5, 0.000000000000000000000000000000000000000001, -99999999999999999999999999999999999999.99), (6, -0.000, 1), (7, NULL, NULL);
            """);
        WriteSource("inteiros", "flutuantes", "decimais", "livres");

        var steps = await Sync();

        Assert.All(["inteiros", "flutuantes", "decimais"], table => Assert.Equal(RunStatus.Succeeded, steps[table].Status));
        // A numeric without precision, or of more than 38 digits, has no DuckDB twin: it lands as its exact text, with a warning.
        Assert.Equal(RunStatus.Warning, steps["livres"].Status);
        Assert.Equal(["n:VARCHAR", "n40:VARCHAR"], Types("livres"));
        AssertSame("inteiros", "i2", Oracle.Text);
        AssertSame("inteiros", "i4", Oracle.Text);
        AssertSame("inteiros", "i8", Oracle.Text);
        AssertSame("flutuantes", "f4", Oracle.Float4);
        AssertSame("flutuantes", "f8", Oracle.Float8);
        AssertSame("decimais", "n38", Oracle.Decimal);
        AssertSame("decimais", "n0", Oracle.Decimal);
        AssertSame("decimais", "n2", Oracle.Decimal);
        AssertSame("decimais", "n4", Oracle.Decimal);
        AssertSame("livres", "n", Oracle.Text);
        AssertSame("livres", "n40", Oracle.Text);
    }

    [Fact]
    public async Task TextBytesUuidBoolAndJson_LandExactly_JsonNumbersBeyondDoubleIncluded()
    {
        PostgresServer.Execute(Database, """
            CREATE TABLE textos (id int4, t text, vc varchar(5), ch char(5), ba bytea, u uuid, bo bool);
            INSERT INTO textos VALUES
                (1, '', '', '', '\x', '00000000-0000-0000-0000-000000000000', false),
                (2, 'ação ☕ 𝄞 "aspas" \ barra', 'ab', 'ab', '\x00', 'ffffffff-ffff-ffff-ffff-ffffffffffff', true),
                (3, E'linha\nnova\ttab', ' ', ' a', '\x00ff0010', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', NULL),
                (4, NULL, NULL, NULL, NULL, NULL, NULL);
            CREATE TABLE jsons (id int4, j json, jb jsonb);
            INSERT INTO jsons VALUES
                (1, '{"n": 1.0000000000000000001}', '{"n": 1.0000000000000000001}'),
                (2, '[1e400, -0, 12345678901234567890123, 5e-400]', '[1e400, -0, 12345678901234567890123]'),
                (3, '"ação"', '"ação"'), (4, 'null', 'null'), (5, '{"b": 1,  "a": [ ]}', '{"b": 1,  "a": [ ]}'), (6, NULL, NULL);
            """);
        WriteSource("textos", "jsons");

        var steps = await Sync();

        Assert.All(steps.Values, step => Assert.Equal(RunStatus.Succeeded, step.Status));
        AssertSame("textos", "t", Oracle.Text);
        AssertSame("textos", "vc", Oracle.Text);
        AssertSame("textos", "ch", Oracle.Padded);
        AssertSame("textos", "ba", Oracle.Bytes);
        AssertSame("textos", "u", Oracle.Text);
        AssertSame("textos", "bo", Oracle.Text);
        AssertSame("jsons", "j", Oracle.Text);
        AssertSame("jsons", "jb", Oracle.Text);
    }

    [Fact]
    public async Task TimesDatesAndIntervals_AtTheirEdges_LandExactly()
    {
        PostgresServer.Execute(Database, """
            SET TIME ZONE 'UTC';
            CREATE TABLE tempos (id int4, tm time, d date, ts timestamp, tstz timestamptz);
            INSERT INTO tempos VALUES
                (1, '00:00:00', 'infinity', 'infinity', 'infinity'),
                (2, '23:59:59.999999', '-infinity', '-infinity', '-infinity'),
                (3, '24:00:00', '4713-01-01 BC', '4713-01-01 00:00:00.000001 BC', '4713-01-01 00:00:00.000001+00 BC'),
                (4, '00:00:00.000001', '5874897-12-31', '294246-12-31 23:59:59.999999', '294246-12-31 23:59:59.999999+00'),
                (5, '12:34:56.5', '0001-01-01 BC', '1969-12-31 23:59:59.999999', '1969-12-31 23:59:59.999999+00'),
                (6, NULL, NULL, NULL, NULL);
            CREATE TABLE intervalos (id int4, iv interval);
            INSERT INTO intervalos VALUES (1, '1 year 2 mons 3 days 04:05:06.789'), (2, '-1 years -2 mons +3 days -04:05:06.000001'), (3, '1200 hours'),
                (4, '0.000001 sec'), (5, '-0.000001 sec'), (6, '-178000000 years'), (7, '178000000 years'), (8, '1 mon -1 days'), (9, '-1 days +01:00:00'),
                (10, '2147483647 days'), (11, '2562047788 hours 54.775807 sec'), (12, '0'), (13, NULL);
            """);
        WriteSource("tempos", "intervalos");

        var steps = await Sync();

        Assert.All(steps.Values, step => Assert.Equal(RunStatus.Succeeded, step.Status));
        AssertSame("tempos", "tm", Oracle.Text);
        AssertSame("tempos", "d", Oracle.Date);
        AssertSame("tempos", "ts", Oracle.Timestamp);
        AssertSame("tempos", "tstz", Oracle.TimestampTz);
        // An interval lands as text DuckDB casts back to the same months, days and microseconds (Parquet's INTERVAL holds milliseconds).
        Assert.Equal(["iv:VARCHAR"], Types("intervalos"));
        AssertSame("intervalos", "iv", Oracle.Interval);
        Assert.Equal(
            ["14 months 3 days 14706789000 microseconds", "-14 months 3 days -14706000001 microseconds", "0 months 0 days 4320000000000 microseconds"],
            Query("SELECT iv FROM bronze.intervalos WHERE id <= 3 ORDER BY id"));
    }

    [Fact]
    public async Task OneDimensionalArrays_OfEveryType_LandExactly_WithTheirNullsAndEmptyOnes()
    {
        PostgresServer.Execute(Database, """
            SET TIME ZONE 'UTC';
            CREATE TABLE listas_numeros (id int4, ai2 int2[], ai int4[], ai8 int8[], af4 float4[], af8 float8[], an numeric(12,2)[], an38 numeric(38,10)[], anu numeric[]);
            INSERT INTO listas_numeros VALUES
                (1, '{-32768,32767,NULL}', '{-2147483648,2147483647,NULL}', '{-9223372036854775808,9223372036854775807,NULL}',
                    '{-0,NaN,Infinity,-Infinity,1.4e-45,3.4028235e38,0.1,NULL}', '{-0,NaN,Infinity,-Infinity,5e-324,1.7976931348623157e308,0.1,NULL}',
                    '{12345678.12,-9999999999.99,0,NULL}', '{12345678.1234567891,9999999999999999999999999999.9999999999,-0.0000000001,NULL}',
                    '{NaN,123456789012345678901234567890.123456789,NULL}'),
                (2, '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}'),
                (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
                (4, '{NULL}', '{NULL}', '{NULL}', '{NULL}', '{NULL}', '{NULL}', '{NULL}', '{NULL}');
            CREATE TABLE listas_textos (id int4, atx text[], ach char(3)[], aba bytea[], au uuid[], abo bool[], aj json[], ajb jsonb[]);
            INSERT INTO listas_textos VALUES
                (1, ARRAY['', 'a b', 'c,d', '"x"', 'NULL', E'\\', 'ação ☕ 𝄞', E'linha\nnova\t\u0001', NULL], '{a,NULL}', ARRAY['\x'::bytea, '\x00ff', NULL],
                    '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11,NULL}', '{t,f,NULL}',
                    ARRAY['{"n": 1.0000000000000000001}'::json, '[1e400, -0]', 'null', NULL], ARRAY['{"n": 1.0000000000000000001}'::jsonb, '12345678901234567890123', NULL]),
                (2, '{}', '{}', '{}', '{}', '{}', '{}', '{}'),
                (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
            CREATE TABLE listas_tempos (id int4, ad date[], ats timestamp[], atz timestamptz[], atm time[], aiv interval[]);
            INSERT INTO listas_tempos VALUES
                (1, '{infinity,-infinity,NULL}', '{infinity,-infinity,NULL}', '{infinity,-infinity,NULL}', '{00:00:00,24:00:00,NULL}', '{1200:00:00,NULL}'),
                (2, '{"4713-01-01 BC","0001-01-01 BC",5874897-12-31}', '{"4713-01-01 00:00:00.000001 BC","294246-12-31 23:59:59.999999"}',
                    '{"4713-01-01 00:00:00.000001+00 BC","294246-12-31 23:59:59.999999+00","2026-11-22 10:11:12.654321+03"}',
                    '{23:59:59.999999,00:00:00.000001}', '{"-1 years -2 mons +3 days -04:05:06.000001","1 mon -1 days",00:00:00.000001,"-178000000 years"}'),
                (3, '{}', '{}', '{}', '{}', '{}'),
                (4, NULL, NULL, NULL, NULL, NULL);
            """);
        WriteSource("listas_numeros", "listas_textos", "listas_tempos");

        var steps = await Sync();

        Assert.Equal(RunStatus.Warning, steps["listas_numeros"].Status);
        Assert.Contains("column 'anu' has PostgreSQL type numeric[]", steps["listas_numeros"].Warning, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Warning, steps["listas_textos"].Status);
        Assert.Contains("column 'aba' has PostgreSQL type bytea[]", steps["listas_textos"].Warning, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Succeeded, steps["listas_tempos"].Status);
        Assert.Equal(
            ["ai2:SMALLINT[]", "ai:INTEGER[]", "ai8:BIGINT[]", "af4:FLOAT[]", "af8:DOUBLE[]", "an:DECIMAL(12,2)[]", "an38:DECIMAL(38,10)[]", "anu:VARCHAR[]"],
            Types("listas_numeros"));
        Assert.Equal(["atx:VARCHAR[]", "ach:VARCHAR[]", "aba:VARCHAR[]", "au:UUID[]", "abo:BOOLEAN[]", "aj:JSON[]", "ajb:JSON[]"], Types("listas_textos"));
        Assert.Equal(["ad:DATE[]", "ats:TIMESTAMP[]", "atz:TIMESTAMP WITH TIME ZONE[]", "atm:TIME[]", "aiv:VARCHAR[]"], Types("listas_tempos"));
        AssertSameElements("listas_numeros", "ai2", Oracle.Text);
        AssertSameElements("listas_numeros", "ai", Oracle.Text);
        AssertSameElements("listas_numeros", "ai8", Oracle.Text);
        AssertSameElements("listas_numeros", "af4", Oracle.Float4);
        AssertSameElements("listas_numeros", "af8", Oracle.Float8);
        AssertSameElements("listas_numeros", "an", Oracle.Decimal);
        AssertSameElements("listas_numeros", "an38", Oracle.Decimal);
        AssertSameElements("listas_numeros", "anu", Oracle.Text);
        AssertSameElements("listas_textos", "atx", Oracle.Text);
        AssertSameElements("listas_textos", "ach", Oracle.Padded);
        AssertSameElements("listas_textos", "aba", Oracle.Text);
        AssertSameElements("listas_textos", "au", Oracle.Text);
        AssertSameElements("listas_textos", "abo", Oracle.Text);
        AssertSameElements("listas_textos", "aj", Oracle.Text);
        AssertSameElements("listas_textos", "ajb", Oracle.Text);
        AssertSameElements("listas_tempos", "ad", Oracle.Date);
        AssertSameElements("listas_tempos", "ats", Oracle.Timestamp);
        AssertSameElements("listas_tempos", "atz", Oracle.TimestampTz);
        AssertSameElements("listas_tempos", "atm", Oracle.Text);
        AssertSameElements("listas_tempos", "aiv", Oracle.Interval);
    }

    [Fact]
    public async Task DomainsLandAsTheirBaseType_AndEnumsAsTheirLabels()
    {
        PostgresServer.Execute(Database, """
            CREATE DOMAIN valor AS numeric(10,2) CHECK (VALUE >= 0);
            CREATE DOMAIN valor_positivo AS valor CHECK (VALUE > 0);
            CREATE DOMAIN codigos AS int4[];
            CREATE DOMAIN email AS text;
            CREATE TYPE humor AS ENUM ('feliz', 'triste', 'ação');
            CREATE TABLE dominios (id int4, v valor, vp valor_positivo, c codigos, e email, vs valor[], h humor, hs humor[]);
            INSERT INTO dominios VALUES
                (1, 12345678.91, 0.01, '{1,NULL,-2147483648}', 'a@b.c', '{0.10,NULL}', 'feliz', '{ação,NULL,triste}'),
                (2, 0, 99999999.99, '{}', '', '{}', 'ação', '{}'),
                (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
            """);
        WriteSource("dominios");

        var step = (await Sync())["dominios"];

        Assert.Equal(RunStatus.Succeeded, step.Status);
        Assert.Equal(["v:DECIMAL(10,2)", "vp:DECIMAL(10,2)", "c:INTEGER[]", "e:VARCHAR", "vs:DECIMAL(10,2)[]", "h:VARCHAR", "hs:VARCHAR[]"], Types("dominios"));
        AssertSame("dominios", "v", Oracle.Decimal);
        AssertSame("dominios", "vp", Oracle.Decimal);
        AssertSameElements("dominios", "c", Oracle.Text);
        AssertSame("dominios", "e", Oracle.Text);
        AssertSameElements("dominios", "vs", Oracle.Decimal);
        AssertSame("dominios", "h", Oracle.Text);
        AssertSameElements("dominios", "hs", Oracle.Text);
    }

    [Fact]
    public async Task ValuesDuckDbCannotHold_RejectTheirTable_NamingTheColumnAndTheFix()
    {
        PostgresServer.Execute(Database, """
            CREATE TABLE decimal_nan (id int4, n numeric(10,2));
            INSERT INTO decimal_nan VALUES (1, 1.5), (2, 'NaN');
            CREATE TABLE lista_nan (id int4, n numeric(10,2)[]);
            INSERT INTO lista_nan VALUES (1, '{1.5}'), (2, '{1.5,NaN}');
            CREATE TABLE matriz (id int4, nome text, m int4[]);
            INSERT INTO matriz VALUES (1, 'a', '{1,2}'), (2, 'b', '{{1,2},{3,4}}');
            CREATE TABLE base_zero (id int4, m text[]);
            INSERT INTO base_zero VALUES (1, '{a}'), (2, '[0:2]={x,y,z}');
            """);
        WriteSource("decimal_nan", "lista_nan", "matriz", "base_zero");

        var steps = await Sync();

        Assert.All(steps.Values, step => Assert.Equal(RunStatus.Failed, step.Status));
        Assert.Equal(
            "Source 'vendas': a value of column 'n' (numeric(10,2)) of table public.decimal_nan cannot be landed: NaN has no DECIMAL value. "
            + "Fix the value in the source, or exclude the column (a view over the table without it).",
            steps["decimal_nan"].Error);
        // DECIMAL has no NaN, in a list either: DuckDB's cast finds it as the part is written, and the column is looked for then.
        Assert.StartsWith(
            "Source 'vendas': a value of column 'n' (numeric(10,2)[]) of table public.lista_nan cannot be landed: Conversion Error: Could not convert string \"NaN\" to DECIMAL(10,2). Fix the value in the source, ",
            steps["lista_nan"].Error,
            StringComparison.Ordinal);
        Assert.StartsWith("Source 'vendas': a value of column 'm' (integer[]) of table public.matriz cannot be landed: it is an array of dimensions [1:2][1:2]", steps["matriz"].Error, StringComparison.Ordinal);
        Assert.EndsWith(
            "Fix the value in the source, or sync a view over the table that selects the column as text (\"m\"::text) or as a one-dimensional array from 1 "
            + "(e.g. ARRAY(SELECT unnest(\"m\"))), or leaves it out.",
            steps["matriz"].Error,
            StringComparison.Ordinal);
        Assert.StartsWith("Source 'vendas': a value of column 'm' (text[]) of table public.base_zero cannot be landed: it is an array of dimensions [0:2]", steps["base_zero"].Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(Folder.Path, "lake", "landing"), "*", SearchOption.AllDirectories));
    }

    /// <summary>Each row's value of the column in PostgreSQL and in bronze, in the oracle's exact form, in the same order.</summary>
    private void AssertSame(string table, string column, Oracle oracle)
    {
        var postgres = PostgresServer.Query(Database, $"SELECT id || '|' || coalesce({oracle.Postgres(column)}, '{Null}') FROM {table} ORDER BY id");
        var landed = Query($"SELECT id || '|' || coalesce({oracle.DuckDb(column)}, '{Null}') FROM bronze.{table} ORDER BY id");
        Assert.Equal(postgres.Select(oracle.Exact), landed.Select(oracle.Exact));
    }

    /// <summary>Each array's length (or NULL), then each of its elements, in PostgreSQL and in bronze, in the oracle's exact form.</summary>
    private void AssertSameElements(string table, string column, Oracle oracle)
    {
        Assert.Equal(
            PostgresServer.Query(Database, $"SELECT id || '|' || coalesce(cardinality({column})::text, '{Null}') FROM {table} ORDER BY id"),
            Query($"SELECT id || '|' || coalesce(len({column})::VARCHAR, '{Null}') FROM bronze.{table} ORDER BY id"));
        var postgres = PostgresServer.Query(
            Database, $"SELECT id || ':' || indice || '|' || coalesce({oracle.Postgres("elemento")}, '{Null}') FROM {table}, unnest({column}) WITH ORDINALITY u(elemento, indice) ORDER BY id, indice");
        var landed = Query(
            $"SELECT id || ':' || indice || '|' || coalesce({oracle.DuckDb($"{column}[indice]")}, '{Null}') FROM (SELECT id, {column}, unnest(generate_series(1, len({column}))) AS indice FROM bronze.{table}) ORDER BY id, indice");
        Assert.NotEmpty(postgres);
        Assert.Equal(postgres.Select(oracle.Exact), landed.Select(oracle.Exact));
    }

    private List<string> Types(string table) => Query(
        $"SELECT column_name || ':' || data_type FROM duckdb_columns() WHERE schema_name = 'bronze' AND table_name = '{table}' AND column_name NOT LIKE '\\_%' ESCAPE '\\' AND column_name <> 'id' ORDER BY column_index");

    private void WriteSource(params string[] tables) => Folder.Write(
        "sources/vendas.yml", $"name: vendas\ntype: postgres\nconnection: \"{Database}\"\ntables:\n{string.Concat(tables.Select(table => $"  - name: {table}\n"))}");

    private async Task<Dictionary<string, ModelRunRecord>> Sync() =>
        (await Runs.RunAsync(Folder.Load(), new RunOptions { Selector = "source:vendas" })).Steps.ToDictionary(step => step.Model["bronze.".Length..]);

    /// <summary>
    /// How one type's values are compared: the SQL that writes a value as text in PostgreSQL and in DuckDB, and the exact
    /// form both texts are brought to (a row is "key|value"; only the value is changed).
    /// </summary>
    private sealed record Oracle(Func<string, string> Postgres, Func<string, string> DuckDb, Func<string, string> Value)
    {
        public static readonly Oracle Text = new(value => $"{value}::text", value => $"{value}::VARCHAR", value => value);

        /// <summary>PostgreSQL's output text, which keeps a char(n)'s padding where a cast to text trims it.</summary>
        public static readonly Oracle Padded = Text with { Postgres = value => $"CASE WHEN {value} IS NOT NULL THEN format('%s', {value}) END" };

        public static readonly Oracle Bytes = new(value => $"encode({value}, 'hex')", value => $"lower(hex({value}))", value => value);

        /// <summary>A float4 by its bits: -0 differs from 0, and every NaN is PostgreSQL's one NaN.</summary>
        public static readonly Oracle Float4 = new(value => $"{value}::text", value => $"{value}::VARCHAR", value => value == Null
            ? value
            : BitConverter.SingleToInt32Bits(float.Parse(Spelled(value), NumberStyles.Float, CultureInfo.InvariantCulture)).ToString("x8", CultureInfo.InvariantCulture));

        public static readonly Oracle Float8 = new(value => $"{value}::text", value => $"{value}::VARCHAR", value => value == Null
            ? value
            : BitConverter.DoubleToInt64Bits(double.Parse(Spelled(value), NumberStyles.Float, CultureInfo.InvariantCulture)).ToString("x16", CultureInfo.InvariantCulture));

        /// <summary>A decimal by its sign, digits and scale: DuckDB writes 0.5 of a DECIMAL(4,4) as .5000.</summary>
        public static readonly Oracle Decimal = new(value => $"{value}::text", value => $"{value}::VARCHAR", value =>
        {
            if (value == Null)
            {
                return value;
            }

            var point = value.IndexOf('.', StringComparison.Ordinal);
            var scale = point < 0 ? 0 : value.Length - point - 1;
            return $"{BigInteger.Parse(value.Replace(".", "", StringComparison.Ordinal), CultureInfo.InvariantCulture)}e-{scale}";
        });

        /// <summary>Days since 1970, or ±infinity.</summary>
        public static readonly Oracle Date = new(
            value => $"CASE WHEN isfinite({value}) THEN ({value} - DATE '1970-01-01')::text ELSE {value}::text END",
            value => $"CASE WHEN isfinite({value}) THEN ({value} - DATE '1970-01-01')::VARCHAR ELSE {value}::VARCHAR END",
            value => value);

        /// <summary>Microseconds since 1970, or ±infinity.</summary>
        public static readonly Oracle Timestamp = new(
            value => $"CASE WHEN isfinite({value}) THEN (extract(epoch FROM {value}) * 1000000)::int8::text ELSE {value}::text END",
            value => $"CASE WHEN isfinite({value}) THEN epoch_us({value})::VARCHAR ELSE {value}::VARCHAR END",
            value => value);

        public static readonly Oracle TimestampTz = Timestamp with
        {
            DuckDb = value => $"CASE WHEN {value} IS NULL THEN NULL WHEN NOT isinf({value}) THEN epoch_us({value})::VARCHAR WHEN {value} > TIMESTAMPTZ '2000-01-01 00:00:00+00' THEN 'infinity' ELSE '-infinity' END",
        };

        /// <summary>Months, days and microseconds: what a PostgreSQL and a DuckDB interval both are.</summary>
        public static readonly Oracle Interval = new(
            value => $"(extract(year FROM {value}) * 12 + extract(month FROM {value})) || ' ' || extract(day FROM {value}) || ' ' "
                + $"|| (extract(hour FROM {value}) * 3600000000 + extract(minute FROM {value}) * 60000000 + extract(microsecond FROM {value}))",
            value => $"(datepart('year', CAST({value} AS INTERVAL)) * 12 + datepart('month', CAST({value} AS INTERVAL))) || ' ' || datepart('day', CAST({value} AS INTERVAL)) || ' ' "
                + $"|| (datepart('hour', CAST({value} AS INTERVAL))::HUGEINT * 3600000000 + datepart('minute', CAST({value} AS INTERVAL)) * 60000000 + datepart('microseconds', CAST({value} AS INTERVAL)))",
            value => value);

        public string Exact(string row) => row[..(row.IndexOf('|', StringComparison.Ordinal) + 1)] + Value(row[(row.IndexOf('|', StringComparison.Ordinal) + 1)..]);

        /// <summary>DuckDB writes inf and nan; .NET reads Infinity and NaN, as PostgreSQL writes them.</summary>
        private static string Spelled(string value) => value switch
        {
            "inf" => "Infinity",
            "-inf" => "-Infinity",
            "nan" or "-nan" => "NaN",
            _ => value,
        };
    }
}
