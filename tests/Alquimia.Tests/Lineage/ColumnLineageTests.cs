using Alquimia.Examples.VCredit;
using Alquimia.Lineage;
using Alquimia.Projects;
using Alquimia.Tests.Projects;
using Alquimia.Tests.Warehouse.DuckDb;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Tests.Lineage;

/// <summary>Column lineage from DuckDB's parse: each edge asserted as "input.column TYPE SUBTYPE".</summary>
public sealed class ColumnLineageTests : IDisposable
{
    private readonly CheckedConnection _connection = new(new DuckDbSettings());
    private readonly ColumnLineageAnalyzer _analyzer;

    public ColumnLineageTests()
    {
        _connection.Open();
        _analyzer = new ColumnLineageAnalyzer(_connection);
    }

    public void Dispose() => _connection.Dispose();

    private static readonly QualifiedName Model = new("gold", "m");

    private ModelLineage Analyze(string sql, Dictionary<string, string[]>? tables = null) =>
        _analyzer.Analyze(Model, sql, name => tables is not null && tables.TryGetValue(name.ToString(), out var columns) ? columns : null);

    private static string[] Edges(ModelLineage lineage, string column) =>
        [.. Assert.IsType<ColumnLineage>(lineage.Column(column)).Sources.Select(Edge).Order(StringComparer.Ordinal)];

    private static string[] RowEdges(ModelLineage lineage) => [.. lineage.Dataset.Select(Edge).Order(StringComparer.Ordinal)];

    private static string Edge(ColumnSource source) => $"{source.Dataset}.{source.Column} {source.Transformation.Type} {source.Transformation.SubtypeName}{(source.Transformation.Masking ? " masking" : "")}";

    [Fact]
    public void PassedThroughColumn_IsIdentity_AndAnExpressionOfItIsTransformation()
    {
        var lineage = Analyze("SELECT c.id AS id_chamado, upper(trim(c.nome)) AS nome, CAST(valor AS DECIMAL(18, 2)) AS valor FROM silver.tb_chamado AS c");

        Assert.Equal(["id_chamado", "nome", "valor"], lineage.Columns.Select(column => column.Column));
        Assert.Equal(["silver.tb_chamado.id DIRECT IDENTITY"], Edges(lineage, "id_chamado"));
        Assert.Equal(["silver.tb_chamado.nome DIRECT TRANSFORMATION"], Edges(lineage, "nome"));
        Assert.Equal(["silver.tb_chamado.valor DIRECT TRANSFORMATION"], Edges(lineage, "valor"));
        Assert.Empty(lineage.Dataset);
        Assert.Empty(lineage.Unresolved);
    }

    [Fact]
    public void AggregatesJoinsFiltersAndGroups_AreDirectAggregation_AndIndirectJoinFilterGroupBySort()
    {
        var lineage = Analyze("""
            SELECT d.nome AS canal, sum(f.valor) AS total, count(f.id) AS chamados
            FROM gold.ft AS f JOIN gold.dm_canal AS d ON d.id_canal = f.id_canal
            WHERE f.status = 'resolvido'
            GROUP BY d.nome
            HAVING count(*) > 1
            ORDER BY total DESC
            """);

        Assert.Equal(["gold.dm_canal.nome DIRECT IDENTITY"], Edges(lineage, "canal"));
        Assert.Equal(["gold.ft.valor DIRECT AGGREGATION"], Edges(lineage, "total"));
        Assert.Equal(["gold.ft.id DIRECT AGGREGATION masking"], Edges(lineage, "chamados"));
        Assert.Equal(
            ["gold.dm_canal.id_canal INDIRECT JOIN", "gold.dm_canal.nome INDIRECT GROUP_BY", "gold.ft.id_canal INDIRECT JOIN", "gold.ft.status INDIRECT FILTER", "gold.ft.valor INDIRECT SORT"],
            RowEdges(lineage));
    }

    [Fact]
    public void CtesSubqueriesAndUnion_AreTracedToTheTablesTheyRead()
    {
        var lineage = Analyze("""
            WITH lote AS (
                SELECT id FROM silver.a WHERE _loaded_at > 1
                UNION
                SELECT id_chamado FROM silver.b
            ),
            base AS (SELECT x.id, x.valor * 2 AS dobro FROM silver.a AS x WHERE x.id IN (SELECT id FROM lote))
            SELECT t.id AS chave, t.dobro, (SELECT max(v) FROM silver.c) AS maior
            FROM (SELECT * FROM base) AS t
            """, new() { ["silver.a"] = ["id", "valor", "_loaded_at"] });

        Assert.Equal(["silver.a.id DIRECT IDENTITY"], Edges(lineage, "chave"));
        Assert.Equal(["silver.a.valor DIRECT TRANSFORMATION"], Edges(lineage, "dobro"));
        Assert.Equal(["silver.c.v DIRECT AGGREGATION"], Edges(lineage, "maior"));
        Assert.Equal(["silver.a._loaded_at INDIRECT FILTER", "silver.a.id INDIRECT FILTER", "silver.b.id_chamado INDIRECT FILTER"], RowEdges(lineage));
        Assert.Empty(lineage.Unresolved);
    }

    [Fact]
    public void CaseWindowAndAggregateFilter_GiveTheirColumnsConditionalWindowAndFilterRoles()
    {
        var lineage = Analyze("""
            SELECT
                CASE WHEN nota >= 9 THEN 'promotor' ELSE categoria END AS categoria_nps,
                row_number() OVER (PARTITION BY id_cliente ORDER BY aberto_em) AS ordem,
                count(*) FILTER (WHERE status = 'resolvido') AS resolvidos
            FROM silver.p GROUP BY ALL
            """);

        Assert.Equal(["silver.p.categoria DIRECT TRANSFORMATION", "silver.p.nota INDIRECT CONDITIONAL"], Edges(lineage, "categoria_nps"));
        Assert.Equal(["silver.p.aberto_em INDIRECT WINDOW", "silver.p.id_cliente INDIRECT WINDOW"], Edges(lineage, "ordem"));
        Assert.Equal(["silver.p.status INDIRECT FILTER"], Edges(lineage, "resolvidos"));
        // GROUP BY ALL groups by the items that aggregate nothing.
        Assert.Contains("silver.p.nota INDIRECT GROUP_BY", RowEdges(lineage));
        Assert.Contains("silver.p.id_cliente INDIRECT GROUP_BY", RowEdges(lineage));
    }

    [Fact]
    public void LaterSelectItem_ReadingAnEarlierAlias_IsTracedThroughIt()
    {
        var lineage = Analyze("SELECT valor * 2 AS dobro, dobro + 1 AS mais_um FROM silver.t", new() { ["silver.t"] = ["valor"] });

        Assert.Equal(["silver.t.valor DIRECT TRANSFORMATION"], Edges(lineage, "mais_um"));
        Assert.Empty(lineage.Unresolved);
    }

    [Fact]
    public void StarOverAKnownTable_ExpandsToItsColumns_WithExcludeAndReplace()
    {
        var lineage = Analyze("SELECT * EXCLUDE (b) REPLACE (upper(a) AS a) FROM silver.t", new() { ["silver.t"] = ["a", "b", "c"] });

        Assert.Equal(["a", "c"], lineage.Columns.Select(column => column.Column));
        Assert.Equal(["silver.t.a DIRECT TRANSFORMATION"], Edges(lineage, "a"));
        Assert.Equal(["silver.t.c DIRECT IDENTITY"], Edges(lineage, "c"));
        Assert.True(lineage.ColumnsComplete);
    }

    [Fact]
    public void StarOverAnUnknownTable_IsSaid_NotGuessed_AndTheBuiltColumnsResolveIt()
    {
        var unknown = Analyze("SELECT *, 1 AS um FROM bronze.x");

        Assert.False(unknown.ColumnsComplete);
        Assert.Equal(["um"], unknown.Columns.Select(column => column.Column));
        Assert.Contains(unknown.Unresolved, note => note.Contains("* over bronze.x: its columns are unknown", StringComparison.Ordinal));

        var built = _analyzer.Analyze(Model, "SELECT *, 1 AS um FROM bronze.x", name => name == Model ? ["a", "b", "um"] : null);

        Assert.True(built.ColumnsComplete);
        Assert.Equal(["a", "b", "um"], built.Columns.Select(column => column.Column));
        Assert.Equal(["bronze.x.b DIRECT IDENTITY"], Edges(built, "b"));
    }

    [Fact]
    public void ExpressionWithoutAlias_IsNamedByTheBuiltColumns_OrSaid()
    {
        Assert.Contains(Analyze("SELECT upper(a) FROM silver.t").Unresolved, note => note.Contains("Column 1 of gold.m is an expression without an alias", StringComparison.Ordinal));

        var built = _analyzer.Analyze(Model, "SELECT upper(a) FROM silver.t", name => name == Model ? ["upper(a)"] : null);

        Assert.Equal(["silver.t.a DIRECT TRANSFORMATION"], Edges(built, "upper(a)"));
    }

    [Fact]
    public void ApplyChangesModel_HasTheFeedsColumnsButItsExceptColumns_AndItsVersionColumns()
    {
        using var folder = new ProjectFolder(withProjectFile: false);
        folder
            .Write("alquimia.yml", "name: ecommerce\n")
            .Write("sources/loja.yml", "name: loja\nformat: csv\ntables:\n  - name: customers_cdc\n    columns: [{name: customer_id, type: INTEGER}, {name: nome, type: VARCHAR}, {name: operation, type: VARCHAR}, {name: sequence_num, type: BIGINT}]\n")
            .Write("models/gold/dm_customer.sql", """
                /* ---
                materialized: apply_changes
                keys: [customer_id]
                sequence_by: sequence_num
                apply_as_deletes: operation = 'DELETE'
                except_columns: [operation, sequence_num]
                stored_as_scd_type: 2
                --- */
                SELECT customer_id, nome, operation, sequence_num FROM bronze.customers_cdc
                """);

        var lineage = ProjectLineage.Build(folder.Load());

        Assert.Equal(["customer_id", "nome", "__START_AT", "__END_AT"], lineage.ColumnsOf(new QualifiedName("gold", "dm_customer")));
    }

    [Fact]
    public void VCreditFact_TracesEachKpiToTheSilverColumnsItIsComputedFrom()
    {
        using var folder = new TempDirectory();
        VCreditExample.WriteProjectTo(folder.Path);
        var lineage = ProjectLineage.Build(ProjectLoader.Load(folder.Path));
        var fact = lineage.Models[new QualifiedName("gold", "ft_atendimento_geral")];

        Assert.True(fact.ColumnsComplete, string.Join("\n", fact.Unresolved));
        Assert.Equal(["silver.tb_chamado.id_chamado DIRECT IDENTITY"], Edges(fact, "id_chamado"));
        Assert.Equal(["silver.tb_chamado.data_abertura DIRECT IDENTITY"], Edges(fact, "data_referencia"));
        Assert.Equal(["silver.tb_chamado.duracao_atendimento_seg DIRECT TRANSFORMATION"], Edges(fact, "tma_minutos"));
        Assert.Equal(["silver.tb_custo_chamado.valor DIRECT AGGREGATION"], Edges(fact, "custo_total"));
        // sla_horas comes through base's CASE c.prioridade WHEN 'alta' THEN 4 …: constants, the priority picking one.
        Assert.Equal(["silver.tb_chamado.prioridade INDIRECT CONDITIONAL"], Edges(fact, "sla_horas"));
        Assert.Contains("silver.tb_custo_chamado.id_chamado INDIRECT JOIN", RowEdges(fact));
        Assert.Contains("silver.tb_chamado._loaded_at INDIRECT FILTER", RowEdges(fact));

        // silver.tb_chamado reads bronze.chamados, whose columns the source declares.
        var silver = lineage.Models[new QualifiedName("silver", "tb_chamado")];
        Assert.Equal(["bronze.chamados._ingestion_timestamp DIRECT IDENTITY"], Edges(silver, "_ingestion_timestamp"));
        Assert.Equal(["bronze.chamados.protocolo DIRECT TRANSFORMATION"], Edges(silver, "protocolo"));
        // The curated view's average comes from the fact's, which comes from silver.
        var view = lineage.Models[new QualifiedName("curated", "vw_kpis_diarios")];
        Assert.Equal(["gold.ft_atendimento_geral.tma_minutos DIRECT AGGREGATION"], Edges(view, "tma_minutos"));
        Assert.Empty(lineage.Models.Values.SelectMany(model => model.Unresolved));
    }
}
