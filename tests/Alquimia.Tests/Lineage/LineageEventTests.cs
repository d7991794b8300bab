using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Alquimia.Orchestration;
using Alquimia.Tests.Orchestration;
using Alquimia.Tests.Projects;
using Alquimia.Warehouse;

namespace Alquimia.Tests.Lineage;

/// <summary>A real run's OpenLineage events, written to a file and POSTed to a real endpoint, each checked against OpenLineage's schema.</summary>
public sealed class LineageEventTests : IDisposable
{
    private readonly ProjectFolder _folder = new(withProjectFile: false);

    public LineageEventTests()
    {
        _folder
            .Write("sources/loja.yml", "name: loja\nformat: csv\ntables:\n  - name: pedidos\n  - name: clientes\n")
            .Write("lake/landing/loja/pedidos/ingestion_date=2026-01-01/a.csv", "id_pedido,id_cliente,valor\n1,7,10.5\n2,7,20\n3,8,5\n")
            .Write("lake/landing/loja/clientes/ingestion_date=2026-01-01/a.csv", "id_cliente,nome\n7,Ana\n8,Bia\n")
            .Write("models/silver/tb_pedido.sql", """
                /* ---
                materialized: incremental
                unique_key: id_pedido
                watermark: _ingestion_timestamp
                --- */
                SELECT id_pedido, id_cliente, valor, _ingestion_timestamp FROM bronze.pedidos
                """)
            .Write("models/gold/ft_cliente.sql", """
                /* ---
                columns:
                  total: Soma dos pedidos do cliente
                --- */
                SELECT c.nome, sum(p.valor) AS total
                FROM silver.tb_pedido AS p JOIN bronze.clientes AS c ON c.id_cliente = p.id_cliente
                GROUP BY c.nome
                """)
            .Write("models/curated/vw_top.sql", "/* ---\nmaterialized: view\n--- */\nSELECT * FROM gold.ft_cliente ORDER BY total DESC");
    }

    public void Dispose() => _folder.Dispose();

    private string EventsFile => Path.Combine(_folder.Path, "lineage", "events.jsonl");

    private List<JsonObject> FileEvents() => [.. File.ReadAllLines(EventsFile).Select(line => JsonNode.Parse(line)!.AsObject())];

    private static string Key(JsonObject e) => $"{e["job"]!["name"]} {e["eventType"]}";

    private static JsonObject Output(JsonObject e) => e["outputs"]![0]!.AsObject();

    private static string[] Fields(JsonObject dataset, string column) =>
        [.. dataset["facets"]!["columnLineage"]!["fields"]![column]!["inputFields"]!.AsArray().SelectMany(Edges).Order(StringComparer.Ordinal)];

    private static string[] DatasetEdges(JsonObject dataset) =>
        [.. dataset["facets"]!["columnLineage"]!["dataset"]!.AsArray().SelectMany(Edges).Order(StringComparer.Ordinal)];

    private static IEnumerable<string> Edges(JsonNode? field) =>
        field!["transformations"]!.AsArray().Select(transformation => $"{field["name"]}.{field["field"]} {transformation!["type"]} {transformation["subtype"]}");

    [Fact]
    public async Task Run_EmitsStartAndCompleteOfEveryStep_ToTheFileAndTheEndpoint_InOrder_EachValidAgainstOpenLineagesSchema()
    {
        await using var receiver = await HttpReceiver.StartAsync();
        var tokenVariable = "ALQUIMIA_TEST_LINEAGE_TOKEN_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(tokenVariable, "segredo");
        _folder.Write("alquimia.yml", $"name: loja\nmax_parallelism: 1\nlineage:\n  url: {receiver.Address}/api/v1/lineage\n  file: lineage/events.jsonl\n  api_key_env: {tokenVariable}\n");
        var project = _folder.Load();

        var observer = new CountingObserver();

        var summary = await Runs.RunAsync(project, new RunOptions(), observer);

        Assert.True(summary.Succeeded);
        // The run's own observer still hears every step and the end, beside the lineage.
        Assert.Equal((5, 5, 1), (observer.Started, observer.Finished, observer.RunsFinished));
        var events = FileEvents();
        foreach (var line in File.ReadAllLines(EventsFile))
        {
            OpenLineageSchemas.AssertValid(line);
        }

        Assert.Equal(
            ["bronze.clientes START", "bronze.clientes COMPLETE", "bronze.pedidos START", "bronze.pedidos COMPLETE", "silver.tb_pedido START", "silver.tb_pedido COMPLETE",
             "gold.ft_cliente START", "gold.ft_cliente COMPLETE", "curated.vw_top START", "curated.vw_top COMPLETE"],
            events.Select(Key).OrderBy(key => key.Split(' ')[0] switch { "bronze.clientes" => 0, "bronze.pedidos" => 1, "silver.tb_pedido" => 2, "gold.ft_cliente" => 3, _ => 4 }));
        // START and its end share the attempt's run id; every step's run has the Alquimia run as its parent.
        foreach (var step in events.GroupBy(e => e["job"]!["name"]!.GetValue<string>()))
        {
            Assert.Single(step.Select(e => e["run"]!["runId"]!.GetValue<string>()).Distinct());
            Assert.Equal("START", step.First()["eventType"]!.GetValue<string>());
        }

        Assert.Equal(5, events.Select(e => e["run"]!["runId"]!.GetValue<string>()).Distinct().Count());
        Assert.Single(events.Select(e => e["run"]!["facets"]!["parent"]!["run"]!["runId"]!.GetValue<string>()).Distinct());
        Assert.All(events, e => Assert.Equal("loja", e["job"]!["namespace"]!.GetValue<string>()));

        var warehouse = "duckdb://" + project.WarehousePath;
        var fact = events.Single(e => Key(e) == "gold.ft_cliente COMPLETE");
        Assert.Equal(
            [$"{warehouse} warehouse.bronze.clientes", $"{warehouse} warehouse.silver.tb_pedido"],
            fact["inputs"]!.AsArray().Select(input => $"{input!["namespace"]} {input["name"]}").Order(StringComparer.Ordinal));
        var output = Output(fact);
        Assert.Equal("warehouse.gold.ft_cliente", output["name"]!.GetValue<string>());
        Assert.Equal(
            ["nome VARCHAR 1 ", "total DOUBLE 2 Soma dos pedidos do cliente"],
            output["facets"]!["schema"]!["fields"]!.AsArray().Select(field => $"{field!["name"]} {field["type"]} {field["ordinal_position"]} {field["description"]}"));
        Assert.Equal(["warehouse.bronze.clientes.nome DIRECT IDENTITY"], Fields(output, "nome"));
        Assert.Equal(["warehouse.silver.tb_pedido.valor DIRECT AGGREGATION"], Fields(output, "total"));
        Assert.Equal(
            ["warehouse.bronze.clientes.id_cliente INDIRECT JOIN", "warehouse.bronze.clientes.nome INDIRECT GROUP_BY", "warehouse.silver.tb_pedido.id_cliente INDIRECT JOIN"],
            DatasetEdges(output));
        Assert.Equal(2, output["outputFacets"]!["outputStatistics"]!["rowCount"]!.GetValue<long>());
        Assert.Contains("sum(p.valor)", fact["job"]!["facets"]!["sql"]!["query"]!.GetValue<string>(), StringComparison.Ordinal);

        // The view's * is expanded with the columns the warehouse has for gold.ft_cliente.
        var view = Output(events.Single(e => Key(e) == "curated.vw_top COMPLETE"));
        Assert.Equal(["warehouse.gold.ft_cliente.total DIRECT IDENTITY"], Fields(view, "total"));
        Assert.Equal(["warehouse.gold.ft_cliente.total INDIRECT SORT"], DatasetEdges(view));

        // Ingestion reads the landing folder: each bronze column is the files' own, by identity.
        var bronze = events.Single(e => Key(e) == "bronze.pedidos COMPLETE");
        var landing = bronze["inputs"]![0]!;
        Assert.Equal("file", landing["namespace"]!.GetValue<string>());
        Assert.EndsWith("lake/landing/loja/pedidos", landing["name"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal([$"{landing["name"]}.valor DIRECT IDENTITY"], Fields(Output(bronze), "valor"));

        // The endpoint received the same events, in the same order, with the token.
        var received = receiver.Raw("/api/v1/lineage");
        Assert.Equal(File.ReadAllLines(EventsFile), received.Select(item => item.Body));
        Assert.All(received, item => Assert.Equal("Bearer segredo", item.Authorization));
    }

    [Fact]
    public async Task AnApplyChangesModel_ListsOnlyTheColumnsItWrites_NotTheFeedsExceptColumns()
    {
        _folder.Write("alquimia.yml", "name: loja\nlineage:\n  file: lineage/events.jsonl\n")
            .Write("sources/loja.yml", "name: loja\nformat: csv\ntables:\n  - name: pedidos\n  - name: clientes\n  - name: clientes_cdc\n")
            .Write("lake/landing/loja/clientes_cdc/ingestion_date=2026-01-01/a.csv", "id_cliente,nome,operation,seq\n7,Ana,UPSERT,1\n")
            .Write("models/gold/dm_cliente.sql", """
                /* ---
                materialized: apply_changes
                keys: [id_cliente]
                sequence_by: seq
                apply_as_deletes: operation = 'DELETE'
                stored_as_scd_type: 2
                except_columns: [operation, seq, _ingestion_timestamp]
                --- */
                SELECT id_cliente, nome, operation, seq, _ingestion_timestamp FROM bronze.clientes_cdc
                """);

        var summary = await Runs.RunAsync(_folder.Load(), new RunOptions { Selector = "+gold.dm_cliente" });

        Assert.True(summary.Succeeded);
        var complete = FileEvents().Single(e => Key(e) == "gold.dm_cliente COMPLETE");
        Assert.Equal(["id_cliente", "nome"], Output(complete)["facets"]!["columnLineage"]!["fields"]!.AsObject().Select(field => field.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task FailedStep_EmitsFailWithItsError_AndTheStepsSkippedAfterItEmitNothing()
    {
        _folder.Write("alquimia.yml", "name: loja\nmax_parallelism: 1\nlineage:\n  file: lineage/events.jsonl\n")
            .Write("models/silver/tb_pedido.sql", "SELECT id_pedido, CAST('x' || valor AS INTEGER) AS valor, id_cliente FROM bronze.pedidos");

        var summary = await Runs.RunAsync(_folder.Load(), new RunOptions());

        Assert.False(summary.Succeeded);
        var events = FileEvents();
        Assert.All(File.ReadAllLines(EventsFile), OpenLineageSchemas.AssertValid);
        Assert.Equal(["bronze.clientes COMPLETE", "bronze.clientes START", "bronze.pedidos COMPLETE", "bronze.pedidos START", "silver.tb_pedido FAIL", "silver.tb_pedido START"],
            events.Select(Key).Order(StringComparer.Ordinal));
        var fail = events.Single(e => Key(e) == "silver.tb_pedido FAIL");
        Assert.Contains("Could not convert string 'x10.5' to INT32", fail["run"]!["facets"]!["errorMessage"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EndpointDown_NeitherFailsTheRun_NorStopsTheFileFromGettingEveryEvent()
    {
        // A port nothing listens on.
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _folder.Write("alquimia.yml", $"name: loja\nlineage:\n  url: http://127.0.0.1:{port}/api/v1/lineage\n  file: lineage/events.jsonl\n  timeout: 2s\n");

        var summary = await Runs.RunAsync(_folder.Load(), new RunOptions());

        Assert.True(summary.Succeeded);
        Assert.Equal(10, FileEvents().Count);
    }

    [Fact]
    public void SchemaCheck_RejectsAMalformedRunId_AndAFacetMissingWhatItsSchemaRequires()
    {
        const string Valid = """
            {"eventType":"START","eventTime":"2026-01-01T00:00:00.000Z","producer":"https://github.com/alquimia/alquimia",
             "schemaURL":"https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
             "run":{"runId":"0f0e3d2c-1b2a-8968-b776-655443322110"},"job":{"namespace":"loja","name":"gold.x"}}
            """;
        OpenLineageSchemas.AssertValid(Valid);

        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => OpenLineageSchemas.AssertValid(Valid.Replace("0f0e3d2c-1b2a-8968-b776-655443322110", "run-1", StringComparison.Ordinal)));
        var noInputFields = Valid.Replace("""{"namespace":"loja","name":"gold.x"}""", """
            {"namespace":"loja","name":"gold.x"},"outputs":[{"namespace":"n","name":"d","facets":{"columnLineage":{
              "_producer":"https://github.com/alquimia/alquimia","_schemaURL":"https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet",
              "fields":{"a":{}}}}}]
            """, StringComparison.Ordinal);
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => OpenLineageSchemas.AssertValid(noInputFields));
    }

    private sealed class CountingObserver : IRunObserver
    {
        public int Started;
        public int Finished;
        public int RunsFinished;

        public void StepStarted(string stepName, int attempt) => Interlocked.Increment(ref Started);

        public void StepFinished(ModelRunRecord record, bool willRetry) => Interlocked.Increment(ref Finished);

        public void RunFinished(RunSummary summary) => Interlocked.Increment(ref RunsFinished);
    }
}
