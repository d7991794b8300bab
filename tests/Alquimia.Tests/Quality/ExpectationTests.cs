using Alquimia.Materializations;
using Alquimia.Projects;
using Alquimia.Quality;
using Alquimia.Tests.Materializations;
using Alquimia.Warehouse;

namespace Alquimia.Tests.Quality;

/// <summary>Expectations on real builds: what reaches the model, what the quarantine holds, what is counted and recorded.</summary>
public sealed class ExpectationTests : IDisposable
{
    private readonly MaterializationFixture _warehouse = new();

    public ExpectationTests()
    {
        _warehouse.Execute("""
            CREATE TABLE bronze.chamados (id_chamado BIGINT, id_cliente BIGINT, status VARCHAR, aberto_em TIMESTAMP, encerrado_em TIMESTAMP, atualizado_em TIMESTAMP);
            CREATE TABLE silver.tb_cliente AS SELECT * FROM (VALUES (10), (11)) AS clientes(id_cliente);
            """);
    }

    public void Dispose() => _warehouse.Dispose();

    private static ModelDefinition TbChamado(params Expectation[] rules) => MaterializationFixture.Model(
        "silver.tb_chamado",
        "SELECT id_chamado, id_cliente, status, aberto_em, encerrado_em, atualizado_em FROM bronze.chamados",
        new ModelConfig { Materialized = MaterializationKind.Incremental, UniqueKey = ["id_chamado"], Watermark = "atualizado_em", Expectations = rules });

    private static Expectation Rule(string name, string expression, ExpectationAction action = ExpectationAction.Quarantine) => new(name, expression, action, 3);

    /// <summary>The rule as the loader reads it, knowing it for a foreign key.</summary>
    private static readonly Expectation ClienteExiste = Rule("cliente_existe", "id_cliente IN (SELECT id_cliente FROM silver.tb_cliente)") with
    {
        ForeignKey = new ForeignKeyRule("id_cliente", new QualifiedName("silver", "tb_cliente"), "id_cliente"),
    };

    private static readonly Expectation[] SeedRules =
    [
        Rule("status_conhecido", "status IN ('aberto', 'resolvido')"),
        Rule("datas_em_ordem", "encerrado_em IS NULL OR encerrado_em >= aberto_em"),
        ClienteExiste,
    ];

    [Fact]
    public void Quarantine_KeepsInvalidRowsOutOfTheModel_WithOneFlagPerRule()
    {
        _warehouse.Execute("""
            INSERT INTO bronze.chamados VALUES
                (1, 10, 'aberto', '2026-01-01 08:00', NULL, '2026-01-01 08:00'),
                (2, 10, 'perdido', '2026-01-01 09:00', NULL, '2026-01-01 09:00'),
                (3, 11, 'resolvido', '2026-01-01 10:00', '2026-01-01 09:00', '2026-01-01 10:00'),
                (4, 99, 'sumido', '2026-01-01 11:00', NULL, '2026-01-01 11:00');
            """);

        var result = _warehouse.Build(TbChamado(SeedRules));

        Assert.Equal(["1"], _warehouse.Rows("SELECT id_chamado FROM silver.tb_chamado ORDER BY 1"));
        Assert.Equal(1, result.RowsInserted);
        Assert.Equal(
            [
                "2|False|True|True|[\"status_conhecido\"]|run-1",
                "3|True|False|True|[\"datas_em_ordem\"]|run-1",
                "4|False|True|False|[\"status_conhecido\",\"cliente_existe\"]|run-1",
            ],
            _warehouse.Rows("SELECT id_chamado, status_conhecido, datas_em_ordem, cliente_existe, _failed_rules, _run_id FROM silver.tb_chamado_invalidos ORDER BY 1"));
        Assert.Equal(["2026-01-15 02:00:00+00|perdido"], _warehouse.Rows("SELECT DISTINCT strftime(_quarantined_at AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S') || '+00', status FROM silver.tb_chamado_invalidos WHERE id_chamado = 2"));

        var quality = result.Quality!;
        Assert.Equal((4, 1, 3, 0, 0), (quality.RowsChecked, quality.RowsValid, quality.RowsQuarantined, quality.RowsDropped, quality.RowsWarned));
        Assert.Equal(quality.RowsChecked, quality.RowsValid + quality.RowsQuarantined + quality.RowsDropped);
        Assert.Equal(
            ["status_conhecido|quarantine|4|2|[2, 4]", "datas_em_ordem|quarantine|4|1|[3]", "cliente_existe|quarantine|4|1|[4]"],
            _warehouse.Rows("SELECT rule, action, rows_checked, rows_failed, CAST(sample_keys AS VARCHAR) FROM _alquimia.quality_results WHERE run_id = 'run-1' ORDER BY rows_failed DESC, rule DESC"));
    }

    [Fact]
    public void Quarantine_RowsWithANullKey_AreEachKept_AndReadAgainChangeNothing()
    {
        var rules = new[] { Rule("tem_id", "id_chamado IS NOT NULL"), Rule("status_conhecido", "status IN ('aberto', 'resolvido')") };
        _warehouse.Execute("""
            INSERT INTO bronze.chamados VALUES
                (NULL, 10, 'aberto', '2026-01-01 08:00', NULL, '2026-01-01 08:00'),
                (NULL, 11, 'aberto', '2026-01-01 08:00', NULL, '2026-01-01 08:00'),
                (NULL, 12, 'perdido', '2026-01-01 09:00', NULL, '2026-01-01 09:00'),
                (NULL, 12, 'perdido', '2026-01-01 09:00', NULL, '2026-01-01 09:00'),
                (NULL, 13, 'aberto', '2026-01-01 10:00', NULL, '2026-01-01 10:00'),
                (1, 10, 'aberto', '2026-01-01 10:00', NULL, '2026-01-01 10:00');
            """);

        var first = _warehouse.Build(TbChamado(rules));
        _warehouse.Execute("INSERT INTO bronze.chamados VALUES (NULL, 14, 'aberto', '2026-01-01 11:00', NULL, '2026-01-01 11:00')");
        var second = _warehouse.Build(TbChamado(rules));
        var third = _warehouse.Build(TbChamado(rules));

        Assert.Equal(5, first.Quality!.RowsQuarantined);
        // The second build re-reads the rows at the stored watermark (10:00): the NULL-key row of 13 is the same row again.
        Assert.Equal(
            ["10|aberto|run-1", "11|aberto|run-1", "12|perdido|run-1", "12|perdido|run-1", "13|aberto|run-1", "14|aberto|run-2"],
            _warehouse.Rows("SELECT id_cliente, status, _run_id FROM silver.tb_chamado_invalidos ORDER BY id_cliente, _run_id"));
        Assert.Equal(["1"], _warehouse.Rows("SELECT id_chamado FROM silver.tb_chamado"));
        Assert.Equal((0, 0), (third.RowsInserted, third.RowsUpdated));
        Assert.Equal(["6"], _warehouse.Rows("SELECT count(*) FROM silver.tb_chamado_invalidos"));
        Assert.Equal(0, second.RowsInserted);
    }

    [Fact]
    public void Quarantine_RowFixedAtTheSource_LeavesTheQuarantine_AndEntersTheModel()
    {
        _warehouse.Execute("""
            INSERT INTO bronze.chamados VALUES
                (1, 10, 'aberto', '2026-01-01 08:00', NULL, '2026-01-01 08:00'),
                (2, 10, 'perdido', '2026-01-01 09:00', NULL, '2026-01-01 09:00'),
                (3, 11, 'resolvido', '2026-01-01 10:00', '2026-01-01 09:00', '2026-01-01 10:00');
            """);
        _warehouse.Build(TbChamado(SeedRules));

        // "Corrigir na origem, reprocessar Silver": chamado 2 comes again with a known status; chamado 3 comes again, still wrong.
        _warehouse.Execute("""
            INSERT INTO bronze.chamados VALUES
                (2, 10, 'aberto', '2026-01-01 09:00', NULL, '2026-01-02 09:00'),
                (3, 11, 'resolvido', '2026-01-01 10:00', '2026-01-01 09:30', '2026-01-02 10:00');
            """);
        var result = _warehouse.Build(TbChamado(SeedRules));

        Assert.Equal(["1|aberto", "2|aberto"], _warehouse.Rows("SELECT id_chamado, status FROM silver.tb_chamado ORDER BY 1"));
        Assert.Equal(["3|2026-01-01 09:30:00|run-2"], _warehouse.Rows("SELECT id_chamado, CAST(encerrado_em AS VARCHAR), _run_id FROM silver.tb_chamado_invalidos ORDER BY 1"));
        // Versions are counted: chamado 3's new version, and its old one, read again at the inclusive watermark.
        Assert.Equal((1, 2), (result.RowsInserted, result.Quality!.RowsQuarantined));
    }

    [Fact]
    public void Quarantine_ARowThatComesBackTheSame_KeepsItsFirstQuarantine()
    {
        _warehouse.Execute("""
            INSERT INTO bronze.chamados VALUES
                (1, 10, 'aberto', '2026-01-01 08:00', NULL, '2026-01-01 08:00'),
                (2, 10, 'perdido', '2026-01-03 09:00', NULL, '2026-01-03 09:00');
            """);

        var first = _warehouse.Build(TbChamado(SeedRules));
        var second = _warehouse.Build(TbChamado(SeedRules));

        Assert.Equal("2026-01-03 09:00:00", first.Watermark!.Value);
        Assert.Equal((1, 1), (second.Quality!.RowsChecked, second.Quality.RowsQuarantined));
        Assert.Equal(["2|run-1"], _warehouse.Rows("SELECT id_chamado, _run_id FROM silver.tb_chamado_invalidos"));
    }

    [Fact]
    public void Quarantine_ARetriedRowJudgedAsBefore_StaysAsItWas_AndOneWhoseRulesChanged_IsQuarantinedAnew()
    {
        // Chamado 2 has an unknown status and a cliente not yet arrived; chamado 3 only waits for its cliente.
        _warehouse.Execute("""
            INSERT INTO bronze.chamados VALUES
                (1, 10, 'aberto', '2026-01-01 08:00', NULL, '2026-01-01 08:00'),
                (2, 12, 'perdido', '2026-01-01 09:00', NULL, '2026-01-01 09:00'),
                (3, 13, 'aberto', '2026-01-01 10:00', NULL, '2026-01-01 10:00');
            """);
        _warehouse.Build(TbChamado(SeedRules));
        const string Quarantine = "SELECT id_chamado, status_conhecido, cliente_existe, _failed_rules, _run_id FROM silver.tb_chamado_invalidos ORDER BY 1";
        var firstQuarantine = _warehouse.Rows(Quarantine + ", _quarantined_at");

        _warehouse.Execute("INSERT INTO bronze.chamados VALUES (4, 10, 'aberto', '2026-01-02 08:00', NULL, '2026-01-02 08:00')");
        _warehouse.RunStartedAt = _warehouse.RunStartedAt.AddDays(1);
        var unchanged = _warehouse.Build(TbChamado(SeedRules));

        Assert.Equal(firstQuarantine, _warehouse.Rows(Quarantine + ", _quarantined_at"));
        Assert.Equal(0, unchanged.Quality!.RowsReleased);

        // Cliente 12 arrives: chamado 2 now fails only its status, and is quarantined anew with that result.
        _warehouse.Execute("INSERT INTO silver.tb_cliente VALUES (12)");
        var changed = _warehouse.Build(TbChamado(SeedRules));

        Assert.Equal(0, changed.Quality!.RowsReleased);
        Assert.Equal(
            ["2|False|True|[\"status_conhecido\"]|run-3", "3|True|False|[\"cliente_existe\"]|run-1"],
            _warehouse.Rows(Quarantine));
        Assert.Equal(["1", "4"], _warehouse.Rows("SELECT id_chamado FROM silver.tb_chamado ORDER BY 1"));
    }

    [Fact]
    public void Quarantine_KeepsTheLatestValidVersionPublished_WhileANewerOneIsHeldBack()
    {
        _warehouse.Execute("INSERT INTO bronze.chamados VALUES (1, 10, 'aberto', '2026-01-01 08:00', NULL, '2026-01-01 08:00')");
        _warehouse.Build(TbChamado(SeedRules));

        // Closed before it was opened: the new version is held back, the open one stays published. A batch holding a
        // valid and a later invalid version of chamado 2 publishes the valid one.
        _warehouse.Execute("""
            INSERT INTO bronze.chamados VALUES
                (1, 10, 'resolvido', '2026-01-01 08:00', '2026-01-01 07:00', '2026-01-02 08:00'),
                (2, 10, 'aberto', '2026-01-02 09:00', NULL, '2026-01-02 09:00'),
                (2, 10, 'resolvido', '2026-01-02 09:00', '2026-01-02 08:00', '2026-01-02 10:00');
            """);
        _warehouse.Build(TbChamado(SeedRules));

        Assert.Equal(["1|aberto", "2|aberto"], _warehouse.Rows("SELECT id_chamado, status FROM silver.tb_chamado ORDER BY 1"));
        Assert.Equal(["1|resolvido", "2|resolvido"], _warehouse.Rows("SELECT id_chamado, status FROM silver.tb_chamado_invalidos ORDER BY 1"));
    }

    [Fact]
    public void Quarantine_AWholeBuild_PublishesTheVersionsAnUncheckedBuildOfTheValidRowsKeeps()
    {
        // A whole build picks each key's latest valid version among the checked rows: tied watermarks, NULL keys, a key
        // whose newest version is invalid and one seen once must come out as a model without rules, over the valid rows
        // alone, keeps them.
        _warehouse.Execute("""
            INSERT INTO bronze.chamados VALUES
                (5, 10, 'aberto', '2026-01-01 08:00', NULL, '2026-01-01 08:00'),
                (5, 10, 'resolvido', '2026-01-01 08:00', '2026-01-02 09:00', '2026-01-02 10:00'),
                (5, 11, 'resolvido', '2026-01-01 08:00', '2026-01-02 09:30', '2026-01-02 10:00'),
                (5, 10, 'perdido', '2026-01-01 08:00', NULL, '2026-01-02 10:00'),
                (NULL, 10, 'aberto', '2026-01-01 09:00', NULL, '2026-01-01 09:00'),
                (NULL, 11, 'aberto', '2026-01-01 09:00', NULL, '2026-01-01 12:00'),
                (8, 10, 'aberto', '2026-01-02 09:00', NULL, '2026-01-02 09:00'),
                (8, 10, 'resolvido', '2026-01-02 09:00', '2026-01-02 08:00', '2026-01-02 09:30'),
                (9, 11, 'aberto', '2026-01-02 08:00', NULL, '2026-01-02 08:00');
            """);

        _warehouse.Build(TbChamado(SeedRules));
        var withoutRules = MaterializationFixture.Model(
            "silver.tb_chamado_sem_regras",
            """
            SELECT id_chamado, id_cliente, status, aberto_em, encerrado_em, atualizado_em FROM bronze.chamados
            WHERE status IN ('aberto', 'resolvido') AND (encerrado_em IS NULL OR encerrado_em >= aberto_em)
            """,
            new ModelConfig { Materialized = MaterializationKind.Incremental, UniqueKey = ["id_chamado"], Watermark = "atualizado_em" });
        _warehouse.Build(withoutRules);

        var published = _warehouse.Rows("SELECT * FROM silver.tb_chamado ORDER BY ALL");
        Assert.Equal(
            ["8|10|aberto|2026-01-02 09:00:00", "9|11|aberto|2026-01-02 08:00:00", "NULL|11|aberto|2026-01-01 12:00:00"],
            _warehouse.Rows("SELECT id_chamado, id_cliente, status, CAST(atualizado_em AS VARCHAR) FROM silver.tb_chamado WHERE id_chamado IS DISTINCT FROM 5 ORDER BY ALL"));
        Assert.Equal(["5|resolvido"], _warehouse.Rows("SELECT id_chamado, status FROM silver.tb_chamado WHERE id_chamado = 5"));
        Assert.Equal(_warehouse.Rows("SELECT * FROM silver.tb_chamado_sem_regras ORDER BY ALL"), published);
        Assert.Equal(["5|perdido", "8|resolvido"], _warehouse.Rows("SELECT id_chamado, status FROM silver.tb_chamado_invalidos ORDER BY 1"));
    }

    [Fact]
    public void Quarantine_RowsWaitingForTheirParent_EnterTheModelWhenItArrives()
    {
        // Chamado 1 comes before its cliente 12; chamado 2 moves the watermark past it, so it is not read again.
        _warehouse.Execute("""
            INSERT INTO bronze.chamados VALUES
                (1, 12, 'aberto', '2026-01-01 08:00', NULL, '2026-01-01 08:00'),
                (2, 10, 'aberto', '2026-01-01 09:00', NULL, '2026-01-01 09:00');
            """);
        _warehouse.Build(TbChamado(SeedRules));
        _warehouse.Execute("INSERT INTO silver.tb_cliente VALUES (12)");

        var result = _warehouse.Build(TbChamado(SeedRules));

        Assert.Equal(["1", "2"], _warehouse.Rows("SELECT id_chamado FROM silver.tb_chamado ORDER BY 1"));
        Assert.Equal(["0"], _warehouse.Rows("SELECT count(*) FROM silver.tb_chamado_invalidos"));
        Assert.Equal(1, result.Quality!.RowsReleased);
        // Chamado 1 entered the model behind the batch's watermark bound, with this build's _loaded_at: the data tests
        // read it, and not chamado 2, read again at the watermark but unchanged.
        Assert.Equal(["1"], _warehouse.Rows($"SELECT id_chamado FROM silver.tb_chamado WHERE {result.WrittenRows} ORDER BY 1"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ForeignKey_ABatchLooksUpOnlyTheParentKeysItHolds_AndJudgesEveryRowAsTheRuleAsWrittenDoes(bool nullAllowed)
    {
        // The same rule twice: known for a foreign key (as the loader reads it), and not. Cliente NULL among the parents
        // matches no chamado; chamado 4 has no cliente, 3 an unknown one, 5 one that arrives before the third batch.
        var foreignKey = nullAllowed
            ? ClienteExiste with
            {
                Expression = "id_cliente IS NULL OR " + ClienteExiste.Expression,
                ForeignKey = ClienteExiste.ForeignKey! with { NullAllowed = true },
            }
            : ClienteExiste;
        var asWritten = Rule("cliente_existe", foreignKey.Expression);
        ModelDefinition Chamados(string name, Expectation rule) => MaterializationFixture.Model(
            name, TbChamado().Sql, TbChamado().Config with { Expectations = [rule] });
        var models = new[] { Chamados("silver.tb_chamado", foreignKey), Chamados("silver.tb_chamado_como_escrita", asWritten) };
        _warehouse.Execute("""
            INSERT INTO silver.tb_cliente VALUES (NULL);
            INSERT INTO bronze.chamados VALUES (1, 10, 'aberto', '2026-01-01 08:00', NULL, '2026-01-01 08:00');
            """);
        BuildBoth();
        _warehouse.Execute("""
            INSERT INTO bronze.chamados VALUES
                (2, 11, 'aberto', '2026-01-02 08:00', NULL, '2026-01-02 08:00'),
                (3, 99, 'aberto', '2026-01-02 09:00', NULL, '2026-01-02 09:00'),
                (4, NULL, 'aberto', '2026-01-02 10:00', NULL, '2026-01-02 10:00'),
                (5, 12, 'aberto', '2026-01-02 11:00', NULL, '2026-01-02 11:00');
            """);

        using var recording = SqlTrace.Start();
        var segment = SqlTrace.BeginSegment("silver.tb_chamado");
        _warehouse.Build(models[0]);
        segment!.Commit();
        _warehouse.Build(models[1]);
        _warehouse.Execute("""
            INSERT INTO silver.tb_cliente VALUES (12);
            INSERT INTO bronze.chamados VALUES (6, 10, 'aberto', '2026-01-03 08:00', NULL, '2026-01-03 08:00');
            """);
        BuildBoth();

        Assert.Equal(nullAllowed ? ["1", "2", "4", "5", "6"] : ["1", "2", "5", "6"], _warehouse.Rows("SELECT id_chamado FROM silver.tb_chamado ORDER BY 1"));
        Assert.Equal(nullAllowed ? ["3|False"] : ["3|False", "4|False"], _warehouse.Rows("SELECT id_chamado, cliente_existe FROM silver.tb_chamado_invalidos ORDER BY 1"));
        Assert.Equal(
            _warehouse.Rows("SELECT * FROM silver.tb_chamado_como_escrita ORDER BY ALL"),
            _warehouse.Rows("SELECT * FROM silver.tb_chamado ORDER BY ALL"));
        Assert.Equal(
            _warehouse.Rows("SELECT * EXCLUDE (_run_id) FROM silver.tb_chamado_como_escrita_invalidos ORDER BY ALL"),
            _warehouse.Rows("SELECT * EXCLUDE (_run_id) FROM silver.tb_chamado_invalidos ORDER BY ALL"));
        // The statements of the builds after the segment's commit join it too: the first check is the second batch's.
        var check = recording.Segments.Single().Statements.First(statement => statement.Sql.StartsWith("CREATE", StringComparison.Ordinal) && statement.Sql.Contains("checked_silver.tb_chamado\"", StringComparison.Ordinal));
        Assert.Contains(
            "\"id_cliente\" IN (SELECT \"id_cliente\" FROM \"silver\".\"tb_cliente\" WHERE \"id_cliente\" IN (SELECT \"id_cliente\" FROM __alquimia_checked_input))",
            check.Sql, StringComparison.Ordinal);

        void BuildBoth()
        {
            foreach (var model in models)
            {
                _warehouse.Build(model);
            }
        }
    }

    [Fact]
    public void Quarantine_ARuleNotRechecked_KeepsARetriedRowsResult_WhileItsOtherRulesAreCheckedAgain()
    {
        // Chamado 1 is a duplicate of its batch and waits for cliente 12; chamado 3 only waits for cliente 12.
        _warehouse.Execute("""
            CREATE TABLE silver.duplicados AS SELECT 1 AS id_chamado;
            INSERT INTO bronze.chamados VALUES
                (1, 12, 'aberto', '2026-01-01 08:00', NULL, '2026-01-01 08:00'),
                (3, 12, 'aberto', '2026-01-01 08:30', NULL, '2026-01-01 08:30'),
                (2, 10, 'aberto', '2026-01-01 09:00', NULL, '2026-01-01 09:00');
            """);
        var unicoNoLote = Rule("unico_no_lote", "id_chamado NOT IN (SELECT id_chamado FROM silver.duplicados)") with { Recheck = false };
        _warehouse.Build(TbChamado(ClienteExiste, unicoNoLote));
        // Both rules would now pass chamado 1, were they checked again.
        _warehouse.Execute("INSERT INTO silver.tb_cliente VALUES (12); DELETE FROM silver.duplicados;");

        var result = _warehouse.Build(TbChamado(ClienteExiste, unicoNoLote));

        Assert.Equal(1, result.Quality!.RowsReleased);
        Assert.Equal(["2", "3"], _warehouse.Rows("SELECT id_chamado FROM silver.tb_chamado ORDER BY 1"));
        Assert.Equal(["1|True|False|[\"unico_no_lote\"]"], _warehouse.Rows("SELECT id_chamado, cliente_existe, unico_no_lote, _failed_rules FROM silver.tb_chamado_invalidos"));

        // Checked again, as rules are by default, the same row enters the model.
        var rechecked = _warehouse.Build(TbChamado(ClienteExiste, unicoNoLote with { Recheck = true }));

        Assert.Equal(1, rechecked.Quality!.RowsReleased);
        Assert.Equal(["1", "2", "3"], _warehouse.Rows("SELECT id_chamado FROM silver.tb_chamado ORDER BY 1"));
    }

    [Fact]
    public void Quarantine_ARetriedRowThatNowFailsADropRule_IsDroppedNotReleased_AndAModelWithoutQuarantineRulesRetriesNothing()
    {
        _warehouse.Execute("""
            INSERT INTO bronze.chamados VALUES
                (1, 12, 'perdido', '2026-01-01 08:00', NULL, '2026-01-01 08:00'),
                (2, 10, 'aberto', '2026-01-01 09:00', NULL, '2026-01-01 09:00');
            """);
        _warehouse.Build(TbChamado(ClienteExiste));
        _warehouse.Execute("INSERT INTO silver.tb_cliente VALUES (12)");

        var dropOnly = _warehouse.Build(TbChamado(Rule("status_conhecido", "status IN ('aberto', 'resolvido')", ExpectationAction.Drop)));
        var retried = _warehouse.Build(TbChamado(ClienteExiste, Rule("status_conhecido", "status IN ('aberto', 'resolvido')", ExpectationAction.Drop)));

        Assert.Equal(0, dropOnly.Quality!.RowsReleased);
        Assert.Equal(0, retried.Quality!.RowsReleased);
        Assert.Equal(["2"], _warehouse.Rows("SELECT id_chamado FROM silver.tb_chamado"));
        Assert.Equal(["0"], _warehouse.Rows("SELECT count(*) FROM silver.tb_chamado_invalidos"));
    }

    [Fact]
    public void DropAndWarn_DropCountsAndDiscards_WarnCountsAndKeeps()
    {
        _warehouse.Execute("""
            INSERT INTO bronze.chamados VALUES
                (1, 10, 'aberto', '2026-01-01 08:00', NULL, '2026-01-01 08:00'),
                (2, 99, 'aberto', '2026-01-01 09:00', NULL, '2026-01-01 09:00'),
                (3, 11, 'perdido', '2026-01-01 10:00', NULL, '2026-01-01 10:00');
            """);
        var model = TbChamado(
            ClienteExiste with { Action = ExpectationAction.Drop },
            Rule("status_conhecido", "status IN ('aberto', 'resolvido')", ExpectationAction.Warn));

        var quality = _warehouse.Build(model).Quality!;

        Assert.Equal(["1|aberto", "3|perdido"], _warehouse.Rows("SELECT id_chamado, status FROM silver.tb_chamado ORDER BY 1"));
        Assert.Equal((3, 2, 0, 1, 1), (quality.RowsChecked, quality.RowsValid, quality.RowsQuarantined, quality.RowsDropped, quality.RowsWarned));
        Assert.Equal(["0"], _warehouse.Rows("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'tb_chamado_invalidos'"));
    }

    [Fact]
    public void Fail_LeavesThePublishedTableAsItWas()
    {
        var fact = MaterializationFixture.Model(
            "gold.ft_chamados", "SELECT id_chamado, status FROM bronze.chamados",
            new ModelConfig { Materialized = MaterializationKind.Table, Expectations = [Rule("status_conhecido", "status IN ('aberto', 'resolvido')", ExpectationAction.Fail)] });
        _warehouse.Execute("INSERT INTO bronze.chamados (id_chamado, status) VALUES (1, 'aberto')");
        _warehouse.Build(fact);
        _warehouse.Execute("INSERT INTO bronze.chamados (id_chamado, status) VALUES (2, 'perdido'), (3, 'resolvido')");

        var error = Assert.Throws<QualityException>(() => _warehouse.Build(fact));

        Assert.Contains("gold.ft_chamados was not published: expectation 'status_conhecido' failed on 1 of 3 rows (e.g. 2)", error.Message, StringComparison.Ordinal);
        Assert.Equal(["1|aberto"], _warehouse.Rows("SELECT id_chamado, status FROM gold.ft_chamados"));
        Assert.Equal(["1|aberto"], WarehouseRowsOfObserver("SELECT id_chamado, status FROM gold.ft_chamados"));
        Assert.Equal(["0"], _warehouse.Rows("SELECT count(*) FROM _alquimia.quality_results WHERE run_id = 'run-2'"));
        Assert.Equal(["0"], _warehouse.Rows("SELECT count(*) FROM duckdb_databases() WHERE database_name LIKE 'alquimia_scratch%'"));
    }

    [Fact]
    public void Threshold_Warn_PublishesAndSaysWhy_Fail_PublishesNothing()
    {
        _warehouse.Execute("""
            INSERT INTO bronze.chamados VALUES
                (1, 10, 'aberto', '2026-01-01 08:00', NULL, '2026-01-01 08:00'),
                (2, 10, 'perdido', '2026-01-01 09:00', NULL, '2026-01-01 09:00');
            """);
        var model = TbChamado(SeedRules);

        var warned = _warehouse.Build(model, fullRefresh: true, threshold: new QualityThreshold(0.05, ThresholdAction.Warn)).Quality!;
        var error = Assert.Throws<QualityException>(() => _warehouse.Build(model, fullRefresh: true, threshold: new QualityThreshold(0.4, ThresholdAction.Fail)));
        var withinThreshold = _warehouse.Build(model, fullRefresh: true, threshold: new QualityThreshold(0.5, ThresholdAction.Fail)).Quality!;

        Assert.Equal("50.0% of the rows are invalid (1 quarantined, 0 dropped of 2), past max_invalid_ratio 0.05; worst rules: status_conhecido 1", warned.Warning);
        Assert.Contains("past max_invalid_ratio 0.4", error.Message, StringComparison.Ordinal);
        Assert.Null(withinThreshold.Warning);
        Assert.Equal(["1"], _warehouse.Rows("SELECT id_chamado FROM silver.tb_chamado"));
    }

    [Fact]
    public void DeleteInsert_QuarantinesWithinItsWindowOnly()
    {
        _warehouse.Execute("""
            CREATE TABLE gold.ft_source (data_referencia DATE, custo DECIMAL(10, 2));
            INSERT INTO gold.ft_source VALUES ('2026-01-01', -1), ('2026-01-09', -2), ('2026-01-10', 5);
            """);
        var model = MaterializationFixture.Model(
            "gold.ft_custo", "SELECT data_referencia, custo FROM gold.ft_source",
            new ModelConfig
            {
                Materialized = MaterializationKind.DeleteInsert, Window = "data_referencia >= DATE '2026-01-08'",
                Expectations = [Rule("custo_nao_negativo", "custo >= 0")],
            });
        _warehouse.Build(model);
        _warehouse.Execute("UPDATE gold.ft_source SET custo = 2 WHERE data_referencia = '2026-01-09'");

        _warehouse.Build(model);

        Assert.Equal(["2026-01-09|2.00", "2026-01-10|5.00"], _warehouse.Rows("SELECT CAST(data_referencia AS VARCHAR), custo FROM gold.ft_custo ORDER BY 1"));
        Assert.Equal(["2026-01-01|-1.00|run-1"], _warehouse.Rows("SELECT CAST(data_referencia AS VARCHAR), custo, _run_id FROM gold.ft_custo_invalidos ORDER BY 1"));
    }

    private List<string> WarehouseRowsOfObserver(string sql) => Alquimia.Tests.Orchestration.WarehouseRows.Of(_warehouse.Observer, sql);
}
