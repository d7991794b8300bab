using System.Text;
using System.Text.RegularExpressions;
using Alquimia.Deploy.Databricks;
using Alquimia.Ingestion.Landing;
using Alquimia.Projects;
using Alquimia.Tests.Warehouse.DuckDb;
using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Tests.Deploy;

/// <summary>
/// A source table's task on Databricks: bronze created with the columns Alquimia's own bronze has, then the new landing
/// files appended by a COPY INTO composed from the job's landing_path and run_id. Spark's grammar parses what it can
/// (the CREATE, the variable, the COPY INTO's select list); COPY INTO and EXECUTE IMMEDIATE, Databricks' own, are
/// checked by their form.
/// </summary>
public sealed partial class SourceStatementsTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly CheckedConnection _connection = new(new DuckDbSettings());
    private readonly SparkSqlPrinter _printer;

    public SourceStatementsTests()
    {
        _connection.Open();
        _printer = new SparkSqlPrinter(_connection);
    }

    public void Dispose()
    {
        _connection.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public void ACrmTable_GetsBronzeWithAlquimiasColumns_AndCopiesItsLandingFolderIntoIt()
    {
        var project = Crm();
        var (source, table) = project.SourceTables.Single(pair => pair.Table.Name == "verification");

        var statements = SourceStatements.Of(source, table, _printer);

        Assert.Equal(5, statements.Count);
        Assert.Equal(ModelStatements.UseCatalog, statements[0]);
        Assert.Equal(BronzeColumnsInDuckDb(project, source, table), CreatedColumns(statements[1]));
        Assert.Contains("  verification_date TIMESTAMP_NTZ COMMENT 'Quando a verificação foi feita',\n", statements[1], StringComparison.Ordinal);
        Assert.Contains("  _ingestion_timestamp TIMESTAMP_NTZ,\n  _batch_id STRING,\n  _source STRING,\n  _source_file STRING\n)\nUSING DELTA\nCOMMENT ", statements[1], StringComparison.Ordinal);
        Assert.Equal($"DECLARE OR REPLACE VARIABLE {SourceStatements.CopyVariable} STRING", statements[2]);
        Assert.StartsWith($"SET VAR {SourceStatements.CopyVariable} = concat(", statements[3], StringComparison.Ordinal);
        Assert.Equal($"EXECUTE IMMEDIATE {SourceStatements.CopyVariable}", statements[4]);

        var copy = SourceStatements.CopyInto(source, table, _printer, "/Volumes/crm/landing/files", "123");
        Assert.Equal(copy, Evaluated(statements[3], landingPath: "/Volumes/crm/landing/files/", runId: "123"));
        Assert.Matches(CopyIntoForm(), copy);
        Assert.Contains("  FROM '/Volumes/crm/landing/files/crm/verification'\n)\nFILEFORMAT = PARQUET\nFORMAT_OPTIONS ('mergeSchema' = 'true')\n", copy, StringComparison.Ordinal);
        Assert.Contains("CAST(id_verification AS BIGINT) AS id_verification", copy, StringComparison.Ordinal);
        Assert.Contains("'123-verification' AS _batch_id,\n         'crm' AS _source,\n         _metadata.file_path AS _source_file", copy, StringComparison.Ordinal);
        AssertParses(("create", statements[1]), ("declare", statements[2]), ("set", statements[3]), ("select", SelectOf(copy)));
    }

    [Fact]
    public void ACsvTable_ReadsTextWithTheSourcesDialect_AndRescuesWhatDoesNotFit()
    {
        var table = new SourceTable("pedidos", 3)
        {
            Columns = [new("id_pedido", "BIGINT", null), new("cliente", "VARCHAR", null), new("valor", "DECIMAL(12,2)", null), new("dia", "DATE", null)],
            Files = new FileReading
            {
                OnRejectedRows = RejectedRowsAction.Fail,
                Csv = new CsvOptions { Delimiter = ";", Encoding = "latin-1", DateFormat = "%d/%m/%Y" },
            },
        };
        var source = new SourceDefinition("loja", "/p/sources/loja.yml", LandingFormat.Csv, [table]);

        var statements = SourceStatements.Of(source, table, _printer);
        var copy = SourceStatements.CopyInto(source, table, _printer, "/Volumes/loja/landing/files", "7");

        Assert.Contains("  _rescued_data STRING,\n  _ingestion_timestamp TIMESTAMP_NTZ,", statements[1], StringComparison.Ordinal);
        Assert.Contains("  valor DECIMAL(12, 2),\n", statements[1], StringComparison.Ordinal);
        Assert.Contains("try_cast(id_pedido AS BIGINT) AS id_pedido", copy, StringComparison.Ordinal);
        Assert.Contains("cliente AS cliente", copy, StringComparison.Ordinal);
        Assert.Contains("CAST(try_to_timestamp(dia, 'dd/MM/yyyy') AS DATE) AS dia", copy, StringComparison.Ordinal);
        Assert.Contains("THEN to_json(map_filter(map('id_pedido', CASE WHEN id_pedido IS NOT NULL AND try_cast(id_pedido AS BIGINT) IS NULL THEN id_pedido END", copy, StringComparison.Ordinal);
        Assert.Contains("'_file_path', _metadata.file_path), (k, v) -> v IS NOT NULL)) END AS _rescued_data", copy, StringComparison.Ordinal);
        Assert.Contains("FILEFORMAT = CSV\nFORMAT_OPTIONS ('mergeSchema' = 'true', 'header' = 'true', 'inferSchema' = 'false', 'sep' = ';', 'quote' = '\"', 'escape' = '\"', "
            + "'encoding' = 'ISO-8859-1', 'mode' = 'FAILFAST')\n", copy, StringComparison.Ordinal);
        Assert.Matches(CopyIntoForm(), copy);
        AssertParses(("create", statements[1]), ("set", statements[3]), ("select", SelectOf(copy)));
    }

    [Fact]
    public void TheLandingPath_IsEscapedIntoTheComposedStatement()
    {
        var (source, table) = Crm().SourceTables.First();

        var set = SourceStatements.Of(source, table, _printer)[3];

        Assert.Contains("'/x/it\\'s/crm/", Evaluated(set, landingPath: "/x/it's", runId: "1"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("columns", "declares no columns", "declare them in sources/loja.yml")]
    [InlineData("path", "reads its files from 'path: exports/*.csv'", "land its files under the default folder, <landing_path>/loja/pedidos/")]
    [InlineData("snapshot", "is 'mode: snapshot'", "mode: append")]
    [InlineData("type", "has column hora of type TIME, which Spark has no type for", "declare it as a type both engines have")]
    [InlineData("date_format", "reads dates as '%d/%m/%Y %Z'", "write date_format and timestamp_format")]
    [InlineData("reserved", "has a column named _source, which bronze gives its own column", "e.g. source_origem")]
    public void ATableDatabricksCannotLoadAsAlquimiaDoes_IsRefused_WithTheSourceTheTableAndTheFix(string what, string reason, string fix)
    {
        var table = new SourceTable("pedidos", 3) { Columns = [new("id_pedido", "BIGINT", null)] };
        table = what switch
        {
            "columns" => table with { Columns = [] },
            "path" => table with { Files = new FileReading { Path = "exports/*.csv" } },
            "snapshot" => table with { Files = new FileReading { Mode = FileTableMode.Snapshot } },
            "type" => table with { Columns = [.. table.Columns, new("hora", "TIME", null)] },
            "date_format" => table with { Files = new FileReading { Csv = new CsvOptions { TimestampFormat = "%d/%m/%Y %Z" } } },
            _ => table with { Columns = [.. table.Columns, new("_source", "VARCHAR", null)] },
        };
        var source = new SourceDefinition("loja", "/p/sources/loja.yml", LandingFormat.Csv, [table]);

        var error = Assert.Throws<UnportableSourceException>(() => SourceStatements.Of(source, table, _printer));

        Assert.StartsWith($"Source 'loja', table pedidos: it {reason}", error.Message, StringComparison.Ordinal);
        Assert.Contains(". Fix: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(fix, error.Message[error.Message.IndexOf(". Fix: ", StringComparison.Ordinal)..], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("%d/%m/%Y", "dd/MM/yyyy")]
    [InlineData("%Y-%m-%dT%H:%M:%S.%f", "yyyy-MM-dd'T'HH:mm:ss.SSSSSS")]
    [InlineData("%d de %B de %Y", "dd 'de' MMMM 'de' yyyy")]
    [InlineData("%H'h", "HH'''h'")]
    public void AStrftimeFormat_BecomesSparksDatetimePattern(string strftime, string pattern) =>
        Assert.Equal(pattern, SourceValues.DatetimePattern(strftime));

    /// <summary>The columns of bronze as Alquimia itself creates it, in DuckDB, from the same source table.</summary>
    private List<string> BronzeColumnsInDuckDb(Project project, SourceDefinition source, SourceTable table)
    {
        _connection.Execute("CREATE SCHEMA IF NOT EXISTS bronze");
        Assert.True(LandingLoader.CreateBronze(_connection, project, source, table));
        return [.. RelationCatalog.Columns(_connection, table.BronzeName).Select(column => column.Name)];
    }

    private static List<string> CreatedColumns(string create) =>
        [.. create.Split('\n').Skip(1).TakeWhile(line => line != ")").Select(line => line.Trim().Split(' ')[0])];

    /// <summary>The SELECT inside the COPY INTO, with its FROM path as a table, for Spark's grammar.</summary>
    private static string SelectOf(string copy)
    {
        var start = copy.IndexOf("  SELECT ", StringComparison.Ordinal);
        var end = copy.IndexOf("\n  FROM '", StringComparison.Ordinal);
        return copy[start..end].Trim() + "\nFROM landing";
    }

    private static void AssertParses(params (string Name, string Sql)[] statements)
    {
        var errors = SparkSqlSyntax.Errors(statements);
        Assert.All(errors, result => Assert.True(result.Value.Count == 0, $"{result.Key}: {string.Join("; ", result.Value)}"));
    }

    /// <summary>
    /// What the SET VAR's concat evaluates to on Databricks for these parameter values: its string literals unescaped
    /// (Spark's backslash escapes), its two runtime parts computed as the SQL says (the trailing slash trimmed, the
    /// value escaped for the literal it lands in).
    /// </summary>
    private static string Evaluated(string set, string landingPath, string runId)
    {
        var arguments = set[(set.IndexOf("concat(", StringComparison.Ordinal) + "concat(".Length)..set.LastIndexOf(')')];
        var result = new StringBuilder();
        foreach (var part in TopLevelArguments(arguments))
        {
            if (part.StartsWith('\''))
            {
                result.Append(Unescaped(part));
                continue;
            }

            Assert.StartsWith("replace(replace(CAST(", part, StringComparison.Ordinal);
            var value = part.Contains("regexp_replace(:landing_path, '/+$', '')", StringComparison.Ordinal) ? landingPath.TrimEnd('/')
                : part.Contains("CAST(:run_id AS STRING)", StringComparison.Ordinal) ? runId
                : throw new InvalidOperationException($"An unexpected part: {part}");
            result.Append(value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal));
        }

        return result.ToString();
    }

    /// <summary>The comma-separated arguments of a call, split outside parentheses and string literals.</summary>
    private static List<string> TopLevelArguments(string arguments)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < arguments.Length; i++)
        {
            switch (arguments[i])
            {
                case '\'':
                    for (i++; arguments[i] != '\''; i++)
                    {
                        i += arguments[i] == '\\' ? 1 : 0;
                    }

                    break;
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    parts.Add(arguments[start..i].Trim());
                    start = i + 1;
                    break;
            }
        }

        parts.Add(arguments[start..].Trim());
        return parts;
    }

    private static string Unescaped(string literal) => EscapedCharacter().Replace(literal[1..^1], match => match.Value[1..]);

    private Project Crm() => ExampleProjects.Crm(_directory.Path);

    [GeneratedRegex(@"\\.")]
    private static partial Regex EscapedCharacter();

    /// <summary>Databricks' COPY INTO, as its reference writes it: a bronze table, a SELECT from a quoted path, the format, its options.</summary>
    [GeneratedRegex(@"^COPY INTO bronze\.[a-z_]+\nFROM \(\n  SELECT (.|\n)+\n  FROM '[^'\\]+'\n\)\nFILEFORMAT = (PARQUET|CSV|JSON)\n(FORMAT_OPTIONS \(('[A-Za-z]+' = '(\\.|[^'\\])*'(, )?)+\)\n)?COPY_OPTIONS \('mergeSchema' = 'false'\)$")]
    private static partial Regex CopyIntoForm();
}
