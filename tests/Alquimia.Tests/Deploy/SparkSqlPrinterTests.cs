using Alquimia.Deploy.Databricks;
using Alquimia.Examples.Crm;
using Alquimia.Examples.VCredit;
using Alquimia.Projects;
using Alquimia.Tests.Warehouse.DuckDb;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Tests.Deploy;

/// <summary>
/// Models printed in Spark SQL from DuckDB's parse tree: each construct in its Spark form, with DuckDB's meaning kept
/// where the two engines differ (NULLs last, division by zero, regexp flags, zone-less timestamps), and what has no
/// Spark form refused with the model, the line, the construct and the fix.
/// </summary>
public sealed class SparkSqlPrinterTests : IDisposable
{
    private readonly CheckedConnection _connection = new(new DuckDbSettings());
    private readonly SparkSqlPrinter _printer;

    public SparkSqlPrinterTests()
    {
        _connection.Open();
        _printer = new SparkSqlPrinter(_connection);
    }

    public void Dispose() => _connection.Dispose();

    [Fact]
    public void EveryModelOfTheExamples_Prints()
    {
        using var directory = new TempDirectory();
        VCreditExample.WriteProjectTo(Path.Combine(directory.Path, "vcredit"));
        CrmExample.WriteProjectTo(Path.Combine(directory.Path, "crm"));
        var models = ProjectLoader.Load(Path.Combine(directory.Path, "vcredit")).Models.Concat(ProjectLoader.Load(Path.Combine(directory.Path, "crm")).Models).ToList();

        var printed = models.Select(model => _printer.Print(model.Sql, model.Name.ToString())).ToList();

        Assert.Equal(27, printed.Count);
        var errors = SparkSqlSyntax.Errors(models.Select((model, i) => (model.Name.ToString(), printed[i])));
        Assert.All(errors, result => Assert.True(result.Value.Count == 0, $"{result.Key}: {string.Join("; ", result.Value)}\n{printed[models.FindIndex(model => model.Name.ToString() == result.Key)]}"));
        Assert.Equal(27, errors.Count);
    }

    /// <summary>The syntax check can fail: DuckDB's own syntax, which the printer never writes, is refused by Spark's grammar.</summary>
    [Fact]
    public void TheSparkSyntaxCheck_RefusesWhatOnlyDuckDbReads()
    {
        var errors = SparkSqlSyntax.Errors([
            ("qualify", "SELECT id FROM t QUALIFY row_number() OVER (PARTITION BY id ORDER BY v) = 1"),
            ("exclude", "SELECT * EXCLUDE (a) FROM t"),
            ("struct_literal", "SELECT {'a': 1} AS s"),
            ("printed", _printer.Print("SELECT id FROM t QUALIFY row_number() OVER (PARTITION BY id ORDER BY v) = 1", "silver.t")),
        ]);

        Assert.NotEmpty(errors["qualify"]);
        Assert.NotEmpty(errors["exclude"]);
        Assert.NotEmpty(errors["struct_literal"]);
        Assert.Empty(errors["printed"]);
    }

    [Theory]
    // DuckDB puts NULLs last either way; Spark puts them first when ascending.
    [InlineData("SELECT a FROM t ORDER BY a, b DESC", "SELECT a\nFROM t\nORDER BY a NULLS LAST, b DESC NULLS LAST")]
    [InlineData("SELECT a / b AS r FROM t", "SELECT try_divide(a, b) AS r\nFROM t")]
    [InlineData("SELECT CAST(x AS TIMESTAMP) AS x, CAST(y AS VARCHAR) AS y, CAST(z AS DECIMAL(12,2)) AS z FROM t",
        "SELECT CAST(x AS TIMESTAMP_NTZ) AS x,\n       CAST(y AS STRING) AS y,\n       CAST(z AS DECIMAL(12, 2)) AS z\nFROM t")]
    [InlineData("SELECT regexp_replace(s, '\\s+', ' ', 'g') AS s FROM t", "SELECT regexp_replace(s, '\\\\s+', ' ') AS s\nFROM t")]
    [InlineData("SELECT 'it''s' AS s, 100.0 AS d, -2.50 AS n", "SELECT 'it\\'s' AS s,\n       100.0BD AS d,\n       -2.50BD AS n")]
    [InlineData("SELECT count(DISTINCT v) FILTER (WHERE NOT ok) AS n FROM t", "SELECT count(DISTINCT CASE WHEN NOT (ok) THEN v END) AS n\nFROM t")]
    [InlineData("SELECT count(*) FILTER (WHERE ok) AS n FROM t GROUP BY ALL", "SELECT count(*) FILTER (WHERE ok) AS n\nFROM t\nGROUP BY ALL")]
    [InlineData("SELECT * FROM t WHERE d BETWEEN run_date() - 6 AND run_date()", "SELECT *\nFROM t\nWHERE d BETWEEN (CAST(:run_date AS DATE) - 6) AND CAST(:run_date AS DATE)")]
    [InlineData("SELECT arg_max_null(v, (a, b)) AS v FROM t", "SELECT max_by(v, struct(a, b)) AS v\nFROM t")]
    [InlineData("SELECT a FROM t WHERE (a, b) IN (SELECT a, b FROM u)", "SELECT a\nFROM t\nWHERE (a, b) IN (\nSELECT a,\n       b\nFROM u\n)")]
    [InlineData("SELECT a FROM t WHERE (a, b) IN (SELECT (a, b) FROM u GROUP BY ALL)", "SELECT a\nFROM t\nWHERE (a, b) IN (\nSELECT a, b\nFROM u\nGROUP BY ALL\n)")]
    [InlineData("SELECT a FROM t WHERE (a, b) IN (SELECT DISTINCT (a, b) FROM u)", "SELECT a\nFROM t\nWHERE (a, b) IN (\nSELECT DISTINCT a, b\nFROM u\n)")]
    [InlineData("SELECT \"order\", \"Mixed\" FROM gold.t AS x", "SELECT `order`,\n       `Mixed`\nFROM gold.t AS x")]
    public void AConstruct_IsPrintedInItsSparkForm(string duckDb, string spark)
    {
        Assert.Equal(spark, _printer.Print(duckDb, "gold.m"));
    }

    [Fact]
    public void Qualify_BecomesAFilterOnASubquery_ListingTheModelsColumns()
    {
        var printed = _printer.Print("SELECT id, CAST(visto_em AS DATE) AS dia FROM bronze.x QUALIFY row_number() OVER (PARTITION BY id ORDER BY visto_em DESC) = 1", "silver.x");

        Assert.Equal("""
            SELECT id, dia
            FROM (
            SELECT id,
                   CAST(visto_em AS DATE) AS dia,
                   row_number() OVER (PARTITION BY id ORDER BY visto_em DESC NULLS LAST) AS __alquimia_qualify_1
            FROM bronze.x
            ) AS __alquimia_qualified
            WHERE __alquimia_qualify_1 = 1
            """, printed);
    }

    /// <summary>
    /// The window of a QUALIFY joins the select list of its own SELECT, not of a subquery among its columns; and the
    /// DISTINCT of that SELECT applies after the filter, as DuckDB applies it.
    /// </summary>
    [Fact]
    public void Qualify_BesideASubquery_AndUnderDistinct_KeepsItsMeaning()
    {
        var printed = _printer.Print("SELECT DISTINCT id, (SELECT max(v) FROM u) AS top FROM bronze.x QUALIFY row_number() OVER (PARTITION BY id ORDER BY v) = 1", "silver.x");

        Assert.Equal("""
            SELECT DISTINCT id, top
            FROM (
            SELECT id,
                   (
            SELECT max(v)
            FROM u
            ) AS top,
                   row_number() OVER (PARTITION BY id ORDER BY v NULLS LAST) AS __alquimia_qualify_1
            FROM bronze.x
            ) AS __alquimia_qualified
            WHERE __alquimia_qualify_1 = 1
            """, printed);
        Assert.Empty(SparkSqlSyntax.Errors([("printed", printed)])["printed"]);
    }

    [Theory]
    [InlineData("SELECT a,\n  b\nFROM t\nWHERE c = 1\n  AND d IN (SELECT * EXCLUDE (e) FROM u)", 5, "* EXCLUDE", "list the columns to select")]
    [InlineData("SELECT a,\n  list_value(a, b) AS l\nFROM t", 2, "the function list_value()", "docs/databricks.md")]
    [InlineData("SELECT a\nFROM t\nQUALIFY row_number() OVER () = 1 AND a + 1 > 0", 1, "", "")]
    [InlineData("SELECT regexp_replace(s, 'a', 'b') AS s FROM t", 1, "regexp_replace without the 'g' flag", "add 'g'")]
    [InlineData("SELECT 1 AS a; SELECT 2 AS b", 0, "2 statements", "a model is one SELECT")]
    public void AConstructWithNoSparkForm_IsRefused_WithTheModelTheLineAndTheFix(string duckDb, int line, string construct, string fix)
    {
        if (construct.Length == 0)
        {
            // Not every construct here is refused: this one prints, and is the control of the theory.
            Assert.Contains("__alquimia_qualify_1 = 1", _printer.Print(duckDb, "gold.m"), StringComparison.Ordinal);
            return;
        }

        var error = Assert.Throws<UnportableSqlException>(() => _printer.Print(duckDb, "gold.m"));

        Assert.Equal(("gold.m", line), (error.Model, error.Line));
        Assert.Contains(construct, error.Message, StringComparison.Ordinal);
        Assert.Contains(fix, error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("m.databricks.sql", error.Message, StringComparison.Ordinal);
    }
}
