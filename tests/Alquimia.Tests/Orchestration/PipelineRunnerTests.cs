using Alquimia.Warehouse.DuckDb;
using Alquimia.Orchestration;
using Alquimia.Projects;
using Alquimia.Tests.Projects;
using Alquimia.Warehouse;

namespace Alquimia.Tests.Orchestration;

public sealed class PipelineRunnerTests : IDisposable
{
    private readonly ProjectFolder _folder = new(withProjectFile: false);

    public PipelineRunnerTests()
    {
        _folder
            .Write("alquimia.yml", "name: teste\nmax_parallelism: 2\nretry_backoff: 10ms\n")
            .Write("sources/loja.yml", """
                name: loja
                format: csv
                tables:
                  - name: pedidos
                """)
            .Write("lake/landing/loja/pedidos/ingestion_date=2026-01-01/a.csv", "id_pedido,valor\n1,10.5\n2,20\n")
            .Write("models/silver/tb_pedido.sql", """
                /* ---
                materialized: incremental
                unique_key: id_pedido
                watermark: _ingestion_timestamp
                --- */
                SELECT id_pedido, valor, _ingestion_timestamp FROM bronze.pedidos
                """)
            .Write("models/gold/ft_total.sql", "SELECT sum(valor) AS total FROM silver.tb_pedido")
            .Write("models/curated/vw_total.sql", "/* ---\nmaterialized: view\n--- */\nSELECT * FROM gold.ft_total");
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Run_BuildsEveryLayer_AndRecordsTheRunItsStepsAndWatermarks()
    {
        var project = _folder.Load();

        var summary = await Runs.RunAsync(project, new RunOptions());

        Assert.True(summary.Succeeded);
        Assert.Equal(
            ["bronze.pedidos|ingest|succeeded|2", "silver.tb_pedido|incremental|succeeded|2", "gold.ft_total|table|succeeded|1", "curated.vw_total|view|succeeded|0"],
            summary.Steps.Select(step => $"{step.Model}|{step.Materialization}|{step.Status.ToString().ToLowerInvariant()}|{step.RowsInserted}"));
        Assert.Equal(["30.5"], Query(project, "SELECT total FROM curated.vw_total"));
        Assert.Equal(["succeeded|4|0|0"], Query(project, "SELECT status, models_succeeded, models_failed, models_skipped FROM _alquimia.runs"));
        Assert.Equal(["silver.tb_pedido|_ingestion_timestamp"], Query(project, "SELECT model, column_name FROM _alquimia.watermarks"));
    }

    [Fact]
    public async Task Run_StartsAfterEveryEarlierRun_WhenTheClockStandsStill_SoAModelReadingLoadStampsSeesTheNextRunsRows()
    {
        _folder.Write("models/gold/ft_pedido.sql", """
            /* ---
            materialized: incremental
            unique_key: id_pedido
            watermark: _loaded_at
            --- */
            SELECT id_pedido, valor, _loaded_at FROM silver.tb_pedido
            """);
        var stopped = new Ingestion.SteppingClock(TimeSpan.Zero);
        await Runs.RunAsync(_folder.Load(), new RunOptions(), time: stopped);
        _folder.Write("lake/landing/loja/pedidos/ingestion_date=2026-01-02/b.csv", "id_pedido,valor\n3,7\n");

        var second = await Runs.RunAsync(_folder.Load(), new RunOptions(), time: stopped);

        Assert.True(second.Succeeded);
        var project = _folder.Load();
        Assert.Equal(["2026-11-22 02:00:00.000000", "2026-11-22 02:00:00.000001"], Query(project, "SELECT strftime(started_at AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S.%f') FROM _alquimia.runs ORDER BY started_at"));
        Assert.Equal(["1|2026-11-22 02:00:00.000000", "2|2026-11-22 02:00:00.000000", "3|2026-11-22 02:00:00.000001"], Query(project, "SELECT id_pedido, strftime(_loaded_at, '%Y-%m-%d %H:%M:%S.%f') FROM gold.ft_pedido ORDER BY 1"));
    }

    [Fact]
    public async Task Run_RunDate_IsTodayInTheProjectsTimeZone_UnlessGiven_AndTheModelsAndTheRunRecordSeeIt()
    {
        _folder
            .Write("alquimia.yml", "name: teste\ntimezone: America/Sao_Paulo\n")
            .Write("models/gold/ft_dia.sql", "SELECT run_date() AS dia, run_started_at() AS inicio, (SELECT count(*) FROM silver.tb_pedido) AS pedidos");
        // 01:30 UTC on 7 December is still 6 December in Sao Paulo (UTC-3).
        var clock = new Ingestion.SteppingClock(TimeSpan.Zero, new DateTimeOffset(2026, 12, 7, 1, 30, 0, TimeSpan.Zero));

        await Runs.RunAsync(_folder.Load(), new RunOptions(), time: clock);
        var project = _folder.Load();
        var today = Query(project, "SELECT concat_ws('|', dia, strftime(inicio AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M')) FROM gold.ft_dia");
        await Runs.RunAsync(project, new RunOptions { RunDate = new DateOnly(2026, 11, 30) }, time: clock);

        Assert.Equal(["2026-12-06|2026-12-07 01:30"], today);
        Assert.Equal(["2026-11-30"], Query(project, "SELECT dia FROM gold.ft_dia"));
        Assert.Equal(["2026-12-06", "2026-11-30"], Query(project, "SELECT run_date FROM _alquimia.runs ORDER BY started_at"));
    }

    [Fact]
    public void Load_ATimeZoneThatIsNotAnIanaName_IsAProblemOfItsLine()
    {
        _folder.Write("alquimia.yml", "name: teste\ntimezone: Brasilia\n");

        var error = Assert.Throws<ProjectLoadException>(() => _folder.Load());

        Assert.Contains("alquimia.yml:2: 'timezone: Brasilia' in alquimia.yml is not an IANA time zone name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_TheLatestVersionOfAKey_IsTheLastByFileAndLine_EvenInsideOneFile()
    {
        // A correction later in the same file wins whichever way its values sort, and a later file wins over an earlier one.
        _folder
            .Write("lake/landing/loja/pedidos/ingestion_date=2026-01-01/a.csv", "id_pedido,valor\n1,10\n1,99\n2,99\n2,10\n3,5\n")
            .Write("lake/landing/loja/pedidos/ingestion_date=2026-01-01/b.csv", "id_pedido,valor\n3,1\n")
            .Write("models/silver/tb_pedido_por_valor.sql", """
                /* ---
                materialized: incremental
                unique_key: id_pedido
                watermark: dia
                --- */
                SELECT id_pedido, valor, DATE '2026-01-01' AS dia, _ingestion_timestamp FROM bronze.pedidos
                """);

        var summary = await Runs.RunAsync(_folder.Load(), new RunOptions());

        Assert.True(summary.Succeeded);
        var project = _folder.Load();
        Assert.Equal(["1|99", "2|10", "3|1"], Query(project, "SELECT id_pedido, valor FROM silver.tb_pedido ORDER BY 1"));
        // Equal watermarks (one day for every row): arrival decides.
        Assert.Equal(["1|99", "2|10", "3|1"], Query(project, "SELECT id_pedido, valor FROM silver.tb_pedido_por_valor ORDER BY 1"));
        Assert.Equal(["6|6"], Query(project, "SELECT count(*), count(DISTINCT _ingestion_timestamp) FROM bronze.pedidos"));
    }

    [Fact]
    public async Task FullRefresh_LeavesTheHistoryOfADailySnapshotAlone_UntilItsDropIsAskedForByName_AndCountsWhatItDeletes()
    {
        // Seed 004's crm_actions_open_snapshot: every day's open pedidos, a history no source holds.
        _folder.Write("models/gold/crm_actions_open_snapshot.sql", """
            /* ---
            materialized: delete_insert
            window: data_referencia = run_date()
            --- */
            SELECT run_date() AS data_referencia, id_pedido FROM silver.tb_pedido
            """);
        await Runs.RunAsync(_folder.Load(), new RunOptions { RunDate = new DateOnly(2026, 12, 1) });
        await Runs.RunAsync(_folder.Load(), new RunOptions { RunDate = new DateOnly(2026, 12, 2) });

        var refresh = await Runs.RunAsync(_folder.Load(), new RunOptions { RunDate = new DateOnly(2026, 12, 2), FullRefresh = true });
        var project = _folder.Load();
        var afterRefresh = Query(project, "SELECT data_referencia, count(*) FROM gold.crm_actions_open_snapshot GROUP BY 1 ORDER BY 1");
        var unselected = await Assert.ThrowsAsync<Alquimia.Graph.SelectorException>(() => Runs.RunAsync(
            project, new RunOptions { Selector = "silver.tb_pedido", DropHistory = [new QualifiedName("gold", "crm_actions_open_snapshot")] }));
        var dropped = await Runs.RunAsync(project, new RunOptions
        {
            RunDate = new DateOnly(2026, 12, 2), DropHistory = [new QualifiedName("gold", "crm_actions_open_snapshot")],
        });

        Assert.True(refresh.Succeeded);
        Assert.Equal(["2026-12-01|2", "2026-12-02|2"], afterRefresh);
        Assert.Equal(["gold.crm_actions_open_snapshot"], refresh.HistoryKept);
        // The incremental silver model was rebuilt: its 2 old rows replaced, and counted.
        Assert.Equal((2L, 2L), refresh.Steps.Where(step => step.Model == "silver.tb_pedido").Select(step => (step.RowsInserted, step.RowsDeleted)).Single());
        Assert.Contains("not among the models this run builds", unselected.Message, StringComparison.Ordinal);
        Assert.Equal(["2026-12-02|2"], Query(project, "SELECT data_referencia, count(*) FROM gold.crm_actions_open_snapshot GROUP BY 1 ORDER BY 1"));
        Assert.Equal((2L, 4L), dropped.Steps.Where(step => step.Model == "gold.crm_actions_open_snapshot").Select(step => (step.RowsInserted, step.RowsDeleted)).Single());
    }

    [Fact]
    public async Task FullRefresh_RebuildsADeleteInsertThatSaysItsQueryComputesEveryDay()
    {
        _folder.Write("models/gold/ft_diario.sql", """
            /* ---
            materialized: delete_insert
            window: dia >= run_date() - 1
            full_refresh: true
            --- */
            SELECT DATE '2026-12-01' + CAST(id_pedido AS INTEGER) AS dia, valor FROM silver.tb_pedido
            """);
        await Runs.RunAsync(_folder.Load(), new RunOptions { RunDate = new DateOnly(2026, 12, 3) });

        var refresh = await Runs.RunAsync(_folder.Load(), new RunOptions { RunDate = new DateOnly(2026, 12, 3), FullRefresh = true });

        Assert.Empty(refresh.HistoryKept);
        Assert.Equal((2L, 2L), refresh.Steps.Where(step => step.Model == "gold.ft_diario").Select(step => (step.RowsInserted, step.RowsDeleted)).Single());
    }

    [Fact]
    public async Task AnSqlErrorInAModel_NamesTheModelsFileAndTheLineInIt_NotTheGeneratedStatements()
    {
        _folder.Write("models/gold/ft_quebrado.sql", """
            /* ---
            materialized: table
            description: um erro na sexta linha do arquivo
            --- */
            SELECT id_pedido,
                   valor_que_nao_existe
            FROM silver.tb_pedido
            """);

        var summary = await Runs.RunAsync(_folder.Load(), new RunOptions());

        var error = summary.Steps.Single(step => step.Model == "gold.ft_quebrado").Error;
        Assert.StartsWith("models/gold/ft_quebrado.sql:6: Binder Error: Referenced column \"valor_que_nao_existe\" not found", error, StringComparison.Ordinal);
        Assert.Contains("line 6:", error, StringComparison.Ordinal);
        Assert.DoesNotContain("SQL:", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARunThatCannotRecordItself_SaysWhyInPlainWords_AndIsShownAndMarkedInterrupted_NeverRunning()
    {
        var project = _folder.Load();

        var stopped = await Assert.ThrowsAsync<AlquimiaException>(() => Runs.RunAsync(project, new RunOptions { Faults = FaultInjection.DiskFullFrom("silver.tb_pedido") }));
        var status = Runs.Status(project);
        var next = await Runs.RunAsync(project, new RunOptions());

        Assert.StartsWith("Run ", stopped.Message, StringComparison.Ordinal);
        Assert.Contains("stopped: the outcome of silver.tb_pedido could not be recorded (Could not write to the warehouse's file: No space left on device", stopped.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("INSERT INTO", stopped.Message, StringComparison.Ordinal);
        var dead = status.Runs.Single();
        Assert.Equal((RunStatus.Interrupted, 1), (dead.Status, dead.ModelsSucceeded));
        Assert.True(next.Succeeded);
        Assert.Equal(
            ["interrupted|its process stopped before it could record its end (a crash, a kill, or a full disk); the steps that committed stay", "succeeded|NULL"],
            Query(project, "SELECT status, coalesce(error, 'NULL') FROM _alquimia.runs ORDER BY started_at"));
    }

    [Fact]
    public async Task Run_CreatesTheWarehouseInTheStorageVersionOfItsSettings_AndAFileThatExistsKeepsItsOwn()
    {
        var project = _folder.Load();
        await Runs.RunAsync(project, new RunOptions());
        _folder.Write("alquimia.yml", "name: teste\nwarehouse: antigo.duckdb\nduckdb:\n  storage_version: v1.0.0\n");
        var older = _folder.Load();
        await Runs.RunAsync(older, new RunOptions());

        // The first warehouse again, now under the older setting.
        _folder.Write("alquimia.yml", "name: teste\nduckdb:\n  storage_version: v1.0.0\n");
        var again = await Runs.RunAsync(_folder.Load(), new RunOptions());

        Assert.True(again.Succeeded);
        Assert.Equal(["v1.5.0+"], StorageVersion(project));
        Assert.Equal(["v1.0.0+"], StorageVersion(older));
        Assert.Equal(["30.5"], Query(older, "SELECT total FROM curated.vw_total"));
    }

    [Fact]
    public async Task Run_Twice_OnTheSameInput_ChangesNoRows()
    {
        var project = _folder.Load();
        await Runs.RunAsync(project, new RunOptions());

        var second = await Runs.RunAsync(project, new RunOptions());

        Assert.Equal([0L, 0L], second.Steps.Take(2).Select(step => step.RowsInserted + step.RowsUpdated));
        Assert.Equal(["2"], Query(project, "SELECT count(*) FROM bronze.pedidos"));
    }

    [Fact]
    public async Task Run_IsIncremental_IsFalseOnTheFirstBuild_TrueOnTheNextIncrementalBuild_AndFalseOnAFullRefresh()
    {
        // Its own source, whose rows carry their own update time, so that a row can be behind the watermark.
        _folder
            .Write("sources/crm.yml", "name: crm\nformat: csv\ntables:\n  - name: contatos\n")
            .Write("lake/landing/crm/contatos/ingestion_date=2026-01-01/a.csv", "id_contato,atualizado_em\n1,2026-01-01 08:00\n2,2026-01-01 12:00\n")
            .Write("models/silver/tb_contato.sql", """
                /* ---
                materialized: incremental
                unique_key: id_contato
                watermark: atualizado_em
                --- */
                SELECT CAST(id_contato AS BIGINT) AS id_contato, CAST(atualizado_em AS TIMESTAMP) AS atualizado_em, is_incremental() AS incremental_build
                FROM bronze.contatos
                """);
        var project = _folder.Load();
        await Runs.RunAsync(project, new RunOptions());
        var firstBuild = Query(project, "SELECT id_contato, incremental_build FROM silver.tb_contato ORDER BY 1");
        _folder.Write("lake/landing/crm/contatos/ingestion_date=2026-01-02/b.csv", "id_contato,atualizado_em\n3,2026-01-02 09:00\n");

        await Runs.RunAsync(project, new RunOptions());
        var incrementalBuild = Query(project, "SELECT id_contato, incremental_build FROM silver.tb_contato ORDER BY 1");
        await Runs.RunAsync(project, new RunOptions { FullRefresh = true });

        Assert.Equal(["1|False", "2|False"], firstBuild);
        // The incremental build read contato 2 (at the watermark) and 3 (past it), and wrote TRUE; contato 1 stays as written.
        Assert.Equal(["1|False", "2|True", "3|True"], incrementalBuild);
        Assert.Equal(["1|False", "2|False", "3|False"], Query(project, "SELECT id_contato, incremental_build FROM silver.tb_contato ORDER BY 1"));
    }

    [Fact]
    public async Task Run_FailedModel_SkipsItsDescendants_WhileIndependentModelsSucceed()
    {
        _folder
            .Write("models/gold/ft_quebrado.sql", "SELECT CAST('não é número' AS INTEGER) AS x FROM silver.tb_pedido")
            .Write("models/curated/vw_quebrado.sql", "SELECT * FROM gold.ft_quebrado");
        var project = _folder.Load();

        var summary = await Runs.RunAsync(project, new RunOptions());

        var outcome = summary.Steps.ToDictionary(step => step.Model, step => step);
        Assert.False(summary.Succeeded);
        Assert.Equal(RunStatus.Failed, outcome["gold.ft_quebrado"].Status);
        Assert.Contains("Conversion Error", outcome["gold.ft_quebrado"].Error, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Skipped, outcome["curated.vw_quebrado"].Status);
        Assert.Equal("skipped: upstream gold.ft_quebrado failed", outcome["curated.vw_quebrado"].Error);
        Assert.Equal(RunStatus.Succeeded, outcome["curated.vw_total"].Status);
        Assert.Equal(["failed|4|1|1"], Query(project, "SELECT status, models_succeeded, models_failed, models_skipped FROM _alquimia.runs"));
        // A conversion error fails the same way every time: it is not retried.
        Assert.Equal(1, outcome["gold.ft_quebrado"].Attempt);
    }

    [Fact]
    public async Task Run_ModelPastItsTimeout_IsInterrupted_AndRetriedWithBackoff()
    {
        _folder.Write("models/gold/ft_lento.sql", """
            /* ---
            timeout: 300ms
            retries: 2
            --- */
            SELECT count(*) AS n FROM range(100000000000) a, silver.tb_pedido
            """);
        var project = _folder.Load();
        // Were the query abandoned rather than interrupted, it would run for hours: the wait fails the test instead.
        var summary = await Runs.RunAsync(project, new RunOptions()).WaitAsync(TimeSpan.FromMinutes(2));

        var slow = summary.Steps.Single(step => step.Model == "gold.ft_lento");
        Assert.Equal((RunStatus.Failed, 3), (slow.Status, slow.Attempt));
        Assert.Contains("timed out after 300ms; its query was interrupted", slow.Error, StringComparison.Ordinal);
        Assert.Equal(["1|failed", "2|failed", "3|failed"], Query(project, "SELECT attempt, status FROM _alquimia.model_runs WHERE model = 'gold.ft_lento' ORDER BY attempt"));
    }

    [Fact]
    public async Task Run_Cancelled_InterruptsTheRunningModel_KeepsWhatCommitted_AndRecordsCancelled()
    {
        _folder.Write("models/gold/ft_lento.sql", "SELECT count(*) AS n FROM range(100000000000) a, silver.tb_pedido");
        var project = _folder.Load();
        using var cancellation = new CancellationTokenSource();
        var observer = new CancelWhenStarted("gold.ft_lento", cancellation);

        var summary = await Runs.RunAsync(project, new RunOptions(), observer, cancellationToken: cancellation.Token).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(RunStatus.Cancelled, summary.Run.Status);
        var outcome = summary.Steps.ToDictionary(step => step.Model, step => step.Status);
        Assert.Equal(RunStatus.Succeeded, outcome["silver.tb_pedido"]);
        Assert.Equal(RunStatus.Cancelled, outcome["gold.ft_lento"]);
        Assert.Equal(["2"], Query(project, "SELECT count(*) FROM silver.tb_pedido"));
        Assert.Empty(Query(project, "SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'ft_lento%'"));
    }

    [Fact]
    public async Task Run_WhileAnotherRunHoldsTheWarehouse_IsRefusedNamingTheHolder_WhenAskedToBe()
    {
        var project = _folder.Write("models/gold/ft_lento.sql", SlowModel).Load();
        using var warehouse = EmbeddedWarehouse.Open(project);
        var runner = new PipelineRunner(warehouse);
        using var cancellation = new CancellationTokenSource();
        var first = await StartedSlowRun(runner, project, cancellation.Token);

        var error = await Assert.ThrowsAsync<WarehouseBusyException>(() => runner.RunAsync(project, new RunOptions { WhenBusy = WhenBusy.Refuse }));

        Assert.Contains(project.WarehousePath, error.Message, StringComparison.Ordinal);
        Assert.Contains($"PID {Environment.ProcessId}", error.Message, StringComparison.Ordinal);
        await cancellation.CancelAsync();
        await first;
    }

    [Fact]
    public async Task Run_SubmittedWhileAnotherRunHoldsTheWarehouse_WaitsItsTurn_ThenRuns()
    {
        var project = _folder.Write("models/gold/ft_lento.sql", SlowModel).Load();
        using var warehouse = EmbeddedWarehouse.Open(project);
        var runner = new PipelineRunner(warehouse);
        using var cancellation = new CancellationTokenSource();
        var first = await StartedSlowRun(runner, project, cancellation.Token);

        var second = runner.RunAsync(project, new RunOptions { Selector = "silver.tb_pedido" });
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.False(second.IsCompleted, "The second run went ahead while the first one held the warehouse.");
        Assert.Equal(RunStatus.Running, Alquimia.Operations.ProjectStatus.Read(warehouse, project).Runs[0].Status);
        await cancellation.CancelAsync();
        var firstSummary = await first;
        var secondSummary = await second.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(RunStatus.Cancelled, firstSummary.Run.Status);
        Assert.Equal(RunStatus.Succeeded, secondSummary.Run.Status);
        Assert.True(secondSummary.Run.StartedAt >= firstSummary.Run.FinishedAt, "The second run started before the first one finished.");
    }

    [Fact]
    public async Task ACommittedStep_IsAnnounced_WithItsRelationAndRun()
    {
        var project = _folder.Load();
        using var warehouse = EmbeddedWarehouse.Open(project);
        var committed = new List<StepCommitted>();
        warehouse.StepCommitted += (_, step) =>
        {
            lock (committed)
            {
                committed.Add(step);
            }
        };

        var summary = await new PipelineRunner(warehouse).RunAsync(project, new RunOptions());

        Assert.Equal(
            summary.Steps.Where(step => step.Status == RunStatus.Succeeded).Select(step => step.Model).Order(StringComparer.Ordinal),
            committed.Select(step => step.Relation.ToString()).Order(StringComparer.Ordinal));
        Assert.All(committed, step => Assert.Equal(summary.Run.RunId, step.RunId));
    }

    [Fact]
    public async Task AReadOnAWritableWarehouse_SeesWhatIsCommitted_AndCannotWrite()
    {
        var project = _folder.Load();
        using var warehouse = EmbeddedWarehouse.Open(project);
        await new PipelineRunner(warehouse).RunAsync(project, new RunOptions());
        using var writer = warehouse.OpenConnection();
        using var uncommitted = writer.BeginTransaction();
        writer.Execute("DELETE FROM silver.tb_pedido");

        var seen = warehouse.Read(connection => connection.Scalar<long>("SELECT count(*) FROM silver.tb_pedido"));
        var refused = Assert.Throws<DuckDbEngineException>(() => warehouse.Read(connection => connection.Execute("DELETE FROM gold.ft_total")));

        Assert.Equal(2L, seen);
        Assert.Contains("read-only", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1L, warehouse.Read(connection => connection.Scalar<long>("SELECT count(*) FROM gold.ft_total")));
    }

    [Fact]
    public void AWarehouse_OpensOncePerProcess_AndReadOnly_RefusesAWriter()
    {
        var project = _folder.Load();
        using (var warehouse = EmbeddedWarehouse.Open(project))
        {
            warehouse.EnsureLayers();
            var twice = Assert.Throws<InvalidOperationException>(() => EmbeddedWarehouse.Open(project));
            Assert.Contains("already open in this process", twice.Message, StringComparison.Ordinal);
        }

        using var reader = EmbeddedWarehouse.Open(project, readOnly: true);
        Assert.Throws<InvalidOperationException>(() => reader.EnterWriterAsync("a test").GetAwaiter().GetResult());
        Assert.Throws<DuckDbEngineException>(() => reader.Connection.Execute("CREATE TABLE bronze.t (v INTEGER)"));
    }

    [Fact]
    public async Task Run_StartsMaxParallelismStepsAtOnce_EachOnAThreadOfItsOwn_NotOnTheThreadPool()
    {
        // Four independent source tables and max_parallelism: 4. Each step blocks (as DuckDB and the drivers do) until all
        // four are inside it: on the thread pool, whose threads start at one per core, the third and fourth waited for the
        // pool to grow, and blocked threads starved the rest of the process.
        _folder.Write("alquimia.yml", "name: teste\nmax_parallelism: 4\n").Write("sources/caixas.yml", """
            name: caixas
            format: csv
            tables: [{name: a}, {name: b}, {name: c}, {name: d}]
            """);
        foreach (var table in new[] { "a", "b", "c", "d" })
        {
            _folder.Write($"lake/landing/caixas/{table}/ingestion_date=2026-01-01/1.csv", "id\n1\n");
        }

        using var together = new AllInsideAtOnce(4);

        var summary = await Runs.RunAsync(_folder.Load(), new RunOptions { Selector = "source:caixas", Faults = together });

        Assert.True(summary.Succeeded);
        Assert.Equal(["bronze.a|False|True", "bronze.b|False|True", "bronze.c|False|True", "bronze.d|False|True"], together.Seen.Order(StringComparer.Ordinal));
    }

    /// <summary>Holds each step before its commit until <paramref name="steps"/> are held; records, by step, whether it ran on a pool thread and whether all were reached.</summary>
    private sealed class AllInsideAtOnce(int steps) : FaultInjection, IDisposable
    {
        private readonly Barrier _barrier = new(steps);

        public System.Collections.Concurrent.ConcurrentBag<string> Seen { get; } = [];

        public override void BeforeCommit(string stepName)
        {
            var onPool = Thread.CurrentThread.IsThreadPoolThread;
            Seen.Add($"{stepName}|{onPool}|{_barrier.SignalAndWait(TimeSpan.FromSeconds(60))}");
        }

        public void Dispose() => _barrier.Dispose();
    }

    /// <summary>A model that runs for minutes unless its run is cancelled.</summary>
    private const string SlowModel = "SELECT count(*) AS n FROM range(100000000000) a, silver.tb_pedido";

    /// <summary>A run of <see cref="SlowModel"/>, once it has started building it.</summary>
    private static async Task<Task<RunSummary>> StartedSlowRun(PipelineRunner runner, Project project, CancellationToken cancellationToken)
    {
        var started = new TaskCompletionSource();
        var run = runner.RunAsync(project, new RunOptions(), new CancelWhenStarted("gold.ft_lento", null, started), cancellationToken);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(60), CancellationToken.None);
        return run;
    }

    private static List<string> Query(Project project, string sql) => WarehouseRows.Of(project.WarehousePath, sql);

    private static List<string> StorageVersion(Project project) =>
        Query(project, "SELECT tags['storage_version'] FROM duckdb_databases() WHERE database_name = current_database()");

    private sealed class CancelWhenStarted(string step, CancellationTokenSource? cancellation, TaskCompletionSource? started = null) : IRunObserver
    {
        public void StepStarted(string stepName, int attempt)
        {
            if (stepName == step)
            {
                started?.TrySetResult();
                // Let the query get going inside DuckDB before interrupting it.
                cancellation?.CancelAfter(TimeSpan.FromMilliseconds(300));
            }
        }
    }
}
