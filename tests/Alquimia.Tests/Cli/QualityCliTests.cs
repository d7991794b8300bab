using System.Text.Json;
using Alquimia.Tests.Warehouse.DuckDb;
using Alquimia.Tests.Projects;

namespace Alquimia.Tests.Cli;

/// <summary><c>alquimia test</c> and <c>alquimia quality</c> through the real CLI process.</summary>
public sealed class QualityCliTests : IDisposable
{
    private readonly ProjectFolder _folder = new(withProjectFile: false);

    public QualityCliTests()
    {
        _folder
            .Write("alquimia.yml", "name: teste\n")
            .Write("sources/loja.yml", "name: loja\nformat: csv\ntables:\n  - name: pedidos\n")
            .Write("lake/landing/loja/pedidos/ingestion_date=2026-01-01/a.csv", "id_pedido,valor,status\n1,10.5,pago\n2,-3,pago\n3,20,sumido\n4,7,pago\n5,-1,pago\n")
            .Write("models/silver/tb_pedido.sql", """
                /* ---
                materialized: incremental
                unique_key: id_pedido
                watermark: _ingestion_timestamp
                expectations:
                  valor_nao_negativo: valor >= 0
                  status_conhecido: {expect: "status IN ('pago', 'cancelado')", action: drop}
                tests:
                  - unique: id_pedido
                  - row_count_between: {min: 3, severity: warn}
                --- */
                SELECT id_pedido, valor, status, _ingestion_timestamp FROM bronze.pedidos
                """);
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task QualityReport_NumbersAddUp_AndTestExitsOneWhenAnErrorTestFails()
    {
        var run = await CliProcess.RunAsync(["run", "--project", _folder.Path]);
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains("2 quarantined, 1 dropped", run.Output, StringComparison.Ordinal);

        var json = await CliProcess.RunAsync(["quality", "--project", _folder.Path, "--format", "json"]);
        Assert.True(json.ExitCode == 0, json.Output + json.Error);
        var model = JsonDocument.Parse(json.Output).RootElement.GetProperty("models").EnumerateArray().Single();
        Assert.Equal("silver.tb_pedido", model.GetProperty("model").GetString());
        var (rowsIn, valid, quarantined, dropped) = (model.GetProperty("rows_in").GetInt64(), model.GetProperty("rows_valid").GetInt64(),
            model.GetProperty("rows_quarantined").GetInt64(), model.GetProperty("rows_dropped").GetInt64());
        Assert.Equal((5, 2, 2, 1), (rowsIn, valid, quarantined, dropped));
        Assert.Equal(rowsIn, valid + quarantined + dropped);
        Assert.Equal(
            ["valor_nao_negativo|2", "row_count_between|1", "status_conhecido|1", "unique(id_pedido)|0"],
            model.GetProperty("rules").EnumerateArray().Select(rule => $"{rule.GetProperty("rule").GetString()}|{rule.GetProperty("rows_failed").GetInt64()}"));

        var text = await CliProcess.RunAsync(["quality", "--project", _folder.Path]);
        Assert.Matches(@"silver\.tb_pedido: 5 in, 2 valid, 2 quarantined, 1 dropped, 0 warned", text.Output);

        var passing = await CliProcess.RunAsync(["test", "--project", _folder.Path]);
        Assert.Equal(0, passing.ExitCode);
        _folder.Write("models/silver/tb_pedido.sql", File.ReadAllText(Path.Combine(_folder.Path, "models/silver/tb_pedido.sql"))
            .Replace("row_count_between: {min: 3, severity: warn}", "row_count_between: {min: 3}", StringComparison.Ordinal));
        var failing = await CliProcess.RunAsync(["test", "--project", _folder.Path]);
        Assert.Equal(1, failing.ExitCode);
        Assert.Matches(@"row_count_between\s+.*error\s+.*fail\s+.*1\s+.*2\s+.*2", failing.Output);
    }
}
