using Alquimia.Warehouse.DuckDb;
using System.IO.Compression;
using Alquimia.Orchestration;
using Alquimia.Tests.Orchestration;
using Alquimia.Tests.Projects;
using Alquimia.Warehouse;

namespace Alquimia.Tests.Ingestion.Landing;

/// <summary>
/// Landing files as other tools deliver them: touched, put back, corrected, cut short, ragged, compressed, in a folder
/// of their own, as full exports, or not at all. No value changes and no row is lost in silence.
/// </summary>
public sealed class FileDeliveryTests : IDisposable
{
    private const string Chamados = "lake/landing/vcredit/chamados";

    private readonly ProjectFolder _folder = new(withProjectFile: false);

    public FileDeliveryTests()
    {
        _folder
            .Write("alquimia.yml", "name: vcredit\n")
            .Write("sources/vcredit.yml", "name: vcredit\nformat: csv\ntables:\n  - name: chamados\n");
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task AFileTouchedOrPutBack_IsNotLoadedAgain_AndACorrectedOne_ReplacesTheRowsOfTheVersionItCorrects()
    {
        // silver orders the versions of a chamado by atualizado_em, a column of the data, not by arrival.
        _folder.Write("models/silver/tb_chamado.sql", """
            /* ---
            materialized: incremental
            unique_key: id_chamado
            watermark: atualizado_em
            lookback: 7 days
            --- */
            SELECT id_chamado, status, atualizado_em FROM bronze.chamados
            """);
        var day2 = $"{Chamados}/ingestion_date=2026-01-02/part-0.csv";
        _folder.Write(day2, "id_chamado,status,atualizado_em\n1,aberto,2026-01-02 10:00\n2,aberto,2026-01-02 10:00\n");
        await Run();
        var original = File.ReadAllBytes(Path.Combine(_folder.Path, day2));
        File.SetLastWriteTimeUtc(Path.Combine(_folder.Path, day2), File.GetLastWriteTimeUtc(Path.Combine(_folder.Path, day2)).AddMinutes(5));
        var touched = await Run();
        _folder.Write($"{Chamados}/ingestion_date=2026-01-03/part-0.csv", "id_chamado,status,atualizado_em\n1,resolvido,2026-01-03 10:00\n");
        await Run();

        // The day-2 file corrected and re-delivered at its path: its rows replace day 2's in bronze.
        _folder.Write(day2, "id_chamado,status,atualizado_em\n1,cancelado,2026-01-02 10:00\n2,resolvido,2026-01-02 11:00\n");
        var corrected = await Run();
        // Then the original put back, as a rejection message once advised: seen before, nothing changes.
        File.WriteAllBytes(Path.Combine(_folder.Path, day2), original);
        var restored = await Run();

        Assert.Equal(0, Bronze(touched).RowsInserted);
        Assert.Equal((2L, 2L), (Bronze(corrected).RowsInserted, Bronze(corrected).RowsDeleted));
        Assert.Equal((0L, 0L), (Bronze(restored).RowsInserted, Bronze(restored).RowsDeleted));
        Assert.Equal(["1|resolvido", "1|cancelado", "2|resolvido"], Query("SELECT id_chamado, status FROM bronze.chamados ORDER BY 1, atualizado_em DESC"));
        // By arrival the corrected day 2 is the latest; by atualizado_em, day 3 still is for chamado 1.
        Assert.Equal(["1|resolvido", "2|resolvido"], Query("SELECT id_chamado, status FROM silver.tb_chamado ORDER BY 1"));
        Assert.Equal(
            ["loaded", "same_content", "loaded", "new_version", "same_content"],
            Query("SELECT outcome FROM _alquimia.ingested_files ORDER BY ingested_at, path"));
    }

    [Fact]
    public async Task ACsvCutMidRow_IsRejected_NotLoadedWithAMidnightTimestamp_AndLoadsOnceWhole()
    {
        var file = $"{Chamados}/ingestion_date=2026-01-02/part-0.csv";
        _folder.Write(file, "id_chamado,aberto_em\n1,2026-01-02 08:15:00\n2,2026-01-02");

        var cut = await Ingest();
        _folder.Write(file, "id_chamado,aberto_em\n1,2026-01-02 08:15:00\n2,2026-01-02 09:30:00\n");
        var whole = await Ingest();

        var step = cut.Steps.Single();
        Assert.Equal(RunStatus.Warning, step.Status);
        Assert.Contains("part-0.csv cannot be loaded and was moved to landing/vcredit/chamados/_rejected/", step.Warning, StringComparison.Ordinal);
        Assert.Contains("last line has no line ending", step.Warning, StringComparison.Ordinal);
        Assert.Equal(2, whole.Steps.Single().RowsInserted);
        Assert.Equal(["1|2026-01-02 08:15:00", "2|2026-01-02 09:30:00"], Query("SELECT id_chamado, strftime(aberto_em, '%Y-%m-%d %H:%M:%S') FROM bronze.chamados ORDER BY 1"));
    }

    [Fact]
    public async Task MalformedLines_GoToRejectedRowsWithFileLineAndReason_WhileTheFilesGoodRowsLoad()
    {
        _folder.Write($"{Chamados}/ingestion_date=2026-01-02/part-0.csv", "id_chamado,status,canal\n1,aberto,app\n2,aberto\n3,resolvido,web,extra\n4,\"em, espera\",fone\n");

        var run = await Ingest();

        var step = run.Steps.Single();
        Assert.Equal(RunStatus.Warning, step.Status);
        Assert.Contains("2 malformed line(s) in 1 landing file(s) were set aside in _alquimia.rejected_rows", step.Warning, StringComparison.Ordinal);
        Assert.Equal(["1|aberto|app", "4|em, espera|fone"], Query("SELECT id_chamado, status, canal FROM bronze.chamados ORDER BY 1"));
        Assert.DoesNotContain("column0", string.Join(",", Query("SELECT column_name FROM (DESCRIBE bronze.chamados)")), StringComparison.Ordinal);
        Assert.Equal(
            ["landing/vcredit/chamados/ingestion_date=2026-01-02/part-0.csv|3|2,aberto", "landing/vcredit/chamados/ingestion_date=2026-01-02/part-0.csv|4|3,resolvido,web,extra"],
            Query("SELECT path, line, content FROM _alquimia.rejected_rows ORDER BY line"));
        // The quality report shows bronze's rows per source table, the lines set aside included.
        var bronze = Runs.Quality(_folder.Load()).Sources.Single();
        Assert.Equal(("vcredit", "chamados", 2L, 2L), (bronze.Source, bronze.Table, bronze.RowsLoaded, bronze.RowsRejected));
    }

    [Fact]
    public async Task MalformedLines_FailTheStep_WhenTheTableSaysSo_AndNothingOfTheBatchLoads()
    {
        _folder.Write("sources/vcredit.yml", "name: vcredit\nformat: csv\ntables:\n  - name: chamados\n    on_rejected_rows: fail\n");
        _folder.Write($"{Chamados}/ingestion_date=2026-01-02/part-0.csv", "id_chamado,status\n1,aberto\n2\n");

        var run = await Ingest();

        var step = run.Steps.Single();
        Assert.Equal(RunStatus.Failed, step.Status);
        Assert.Contains("part-0.csv line 3", step.Error, StringComparison.Ordinal);
        Assert.Equal(["0"], Query("SELECT count(*) FROM _alquimia.ingested_files"));
    }

    [Fact]
    public async Task AWideField_AnEmptyFile_AndAGzippedFile_Load()
    {
        _folder.Write($"{Chamados}/ingestion_date=2026-01-01/a.csv", $"id_chamado,descricao\n1,{new string('x', 5_000_000)}\n2,curta\n");
        _folder.Write($"{Chamados}/ingestion_date=2026-01-01/b.csv", "");
        var gzipped = Path.Combine(_folder.Path, Chamados, "ingestion_date=2026-01-02", "c.csv.gz");
        Directory.CreateDirectory(Path.GetDirectoryName(gzipped)!);
        using (var gzip = new GZipStream(File.Create(gzipped), CompressionLevel.Fastest))
        {
            gzip.Write("id_chamado,descricao\n3,comprimida\n"u8);
        }

        var run = await Ingest();

        Assert.True(run.Succeeded, run.Steps.Single().Error);
        Assert.Equal(["1|5000000", "2|5", "3|10"], Query("SELECT id_chamado, length(descricao) FROM bronze.chamados ORDER BY 1"));
        Assert.Equal(["id_chamado", "descricao"], Query("SELECT column_name FROM (DESCRIBE bronze.chamados) WHERE NOT starts_with(column_name, '_')"));
    }

    [Fact]
    public async Task APathAndReaderOptions_ReadASemicolonLatin1ExportWithBrazilianDates()
    {
        _folder.Write("sources/vcredit.yml", """
            name: vcredit
            format: csv
            csv: {delimiter: ';', encoding: latin-1}
            tables:
              - name: chamados
                path: exports/chamados/*.txt
                csv: {date_format: '%d/%m/%Y'}
                columns:
                  - {name: id_chamado, type: BIGINT}
                  - {name: cliente, type: VARCHAR}
                  - {name: aberto_em, type: DATE}
            """);
        var export = Path.Combine(_folder.Path, "lake", "exports", "chamados", "2026-01-02.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(export)!);
        File.WriteAllBytes(export, System.Text.Encoding.Latin1.GetBytes("id_chamado;cliente;aberto_em\n1;João Conceição;02/01/2026\n"));

        var run = await Ingest();

        Assert.True(run.Succeeded, run.Steps.Single().Error);
        Assert.Equal(["1|João Conceição|2026-01-02|exports/chamados/2026-01-02.txt"], Query("SELECT id_chamado, cliente, aberto_em, _source_file FROM bronze.chamados"));
    }

    [Fact]
    public async Task ASnapshotFeed_ReplacesTheTableWithEachNewExport_InsteadOfAppendingItAgain()
    {
        _folder.Write("sources/vcredit.yml", "name: vcredit\nformat: csv\ntables:\n  - name: chamados\n    mode: snapshot\n");
        var export = $"{Chamados}/part-0.csv";
        _folder.Write(export, "id_chamado,status\n1,aberto\n2,aberto\n");
        await Ingest();
        _folder.Write(export, "id_chamado,status\n1,resolvido\n3,aberto\n");

        var second = await Ingest();

        Assert.Equal((2L, 2L), (second.Steps.Single().RowsInserted, second.Steps.Single().RowsDeleted));
        Assert.Equal(["1|resolvido", "3|aberto"], Query("SELECT id_chamado, status FROM bronze.chamados ORDER BY 1"));
    }

    [Fact]
    public async Task ATableThatNeverReceivedAFile_FailsNamingWhereItLooked_UnlessItMayBeEmpty_AndAMisspelledFolderIsSaid()
    {
        _folder.Write("lake/landing/vcredit/chamadoss/part-0.csv", "id_chamado\n1\n");
        _folder.Write("sources/vcredit.yml", "name: vcredit\nformat: csv\ntables:\n  - name: chamados\n  - name: pesquisas\n    allow_empty: true\n    columns: [{name: id_pesquisa, type: BIGINT}]\n");

        var run = await Ingest();

        var chamados = run.Steps.Single(step => step.Model == "bronze.chamados");
        Assert.Equal(RunStatus.Failed, chamados.Status);
        Assert.Contains($"No landing file has ever arrived for bronze.chamados of source 'vcredit': {Path.Combine(_folder.Path, Chamados)} does not exist", chamados.Error, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Succeeded, run.Steps.Single(step => step.Model == "bronze.pesquisas").Status);

        Directory.CreateDirectory(Path.Combine(_folder.Path, Chamados));
        _folder.Write($"{Chamados}/part-0.csv", "id_chamado\n2\n");
        var second = await Ingest();
        Assert.Contains("landing folder landing/vcredit/chamadoss matches no table of source 'vcredit'", second.Steps.Single(step => step.Model == "bronze.chamados").Warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ParquetRows_AreStampedInFileAndRowOrder_AcrossFiles()
    {
        _folder.Write("sources/vcredit.yml", "name: vcredit\nformat: parquet\ntables:\n  - name: chamados\n");
        var folder = Path.Combine(_folder.Path, Chamados);
        Directory.CreateDirectory(folder);
        using (var connection = new CheckedConnection("Data Source=:memory:"))
        {
            connection.Open();
            connection.Execute($"COPY (SELECT * FROM (VALUES (1, 'b'), (2, 'z'), (1, 'a'), (2, 'y')) t(id_chamado, status)) TO '{Path.Combine(folder, "a.parquet")}'");
            connection.Execute($"COPY (SELECT 2 AS id_chamado, 'x' AS status) TO '{Path.Combine(folder, "b.parquet")}'");
        }

        await Ingest();

        Assert.Equal(["1|a", "2|x"], Query("SELECT id_chamado, arg_max(status, _ingestion_timestamp) FROM bronze.chamados GROUP BY 1 ORDER BY 1"));
        Assert.Equal(["b|a.parquet", "z|a.parquet", "a|a.parquet", "y|a.parquet", "x|b.parquet"], Query("SELECT status, parse_filename(_source_file) FROM bronze.chamados ORDER BY _ingestion_timestamp"));
        Assert.Equal(["5"], Query("SELECT count(DISTINCT _ingestion_timestamp) FROM bronze.chamados"));
    }

    [Fact]
    public async Task CsvRowsReadOnEveryCore_AreStampedInFileAndLineOrder()
    {
        // Files bigger than DuckDB's read buffers, so that their parts are parsed on several threads at once.
        for (var file = 0; file < 2; file++)
        {
            var lines = Enumerable.Range(file * 400_000, 400_000).Select(line => $"{line},linha {line} {new string('x', line % 40)}");
            _folder.Write($"{Chamados}/part-{file}.csv", "posicao,texto\n" + string.Join('\n', lines) + "\n");
        }

        await Ingest();

        Assert.Equal(
            ["800000|800000|0"],
            Query("""
                SELECT count(*), count(DISTINCT _ingestion_timestamp),
                       (SELECT count(*) FROM (SELECT posicao, row_number() OVER (ORDER BY _ingestion_timestamp) - 1 AS n FROM bronze.chamados) WHERE posicao <> n)
                FROM bronze.chamados
                """));
    }

    private static ModelRunRecord Bronze(RunSummary run) => run.Steps.Single(step => step.Model == "bronze.chamados");

    private Task<RunSummary> Run() => Runs.RunAsync(_folder.Load(), new RunOptions());

    private Task<RunSummary> Ingest() => Runs.RunAsync(_folder.Load(), new RunOptions { Selector = "source:vcredit" });

    private List<string> Query(string sql) => WarehouseRows.Of(_folder.Load().WarehousePath, sql);
}
