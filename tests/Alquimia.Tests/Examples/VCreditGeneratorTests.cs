using Alquimia.Examples.VCredit;
using Alquimia.Tests.Warehouse.DuckDb;

namespace Alquimia.Tests.Examples;

public sealed class VCreditGeneratorTests(GeneratedLake lake) : IClassFixture<GeneratedLake>, IDisposable
{
    private readonly InMemoryDuckDb _db = new();

    private string Files(string table) => GeneratedLake.Files(lake.Path, table);

    [Fact]
    public void Generate_SameOptions_GiveTheSameContent()
    {
        using var again = new TempDirectory();
        VCreditGenerator.Generate(again.Path, GeneratedLake.DefaultOptions with { Threads = 1 });

        var expected = GeneratedLake.Checksums(lake.Path);
        var actual = GeneratedLake.Checksums(again.Path);

        foreach (var table in VCreditGenerator.Tables)
        {
            Assert.False(expected[table].StartsWith("0 rows", StringComparison.Ordinal), $"{table} is empty");
            Assert.Equal(expected[table], actual[table]);
        }
    }

    [Fact]
    public void GenerateAndNextDay_SameOptions_WriteTheSameRowsInTheSameOrder()
    {
        // On every core: the partitions are written in whatever order the threads finish.
        using var again = new TempDirectory();
        using var nextDay = new TempDirectory();
        using var nextDayAgain = new TempDirectory();
        var options = GeneratedLake.DefaultOptions with { Threads = 4 };
        VCreditGenerator.Generate(again.Path, options);
        CopyFolder(lake.Path, nextDay.Path);
        CopyFolder(lake.Path, nextDayAgain.Path);

        VCreditGenerator.GenerateNextDay(nextDay.Path, options);
        VCreditGenerator.GenerateNextDay(nextDayAgain.Path, options);

        Assert.Equal(OrderedChecksums(lake.Path), OrderedChecksums(again.Path));
        Assert.Equal(OrderedChecksums(nextDay.Path), OrderedChecksums(nextDayAgain.Path));
    }

    [Fact]
    public void Generate_AnotherSeed_GivesOtherContent()
    {
        using var other = new TempDirectory();
        VCreditGenerator.Generate(other.Path, GeneratedLake.DefaultOptions with { Seed = 8 });

        var first = GeneratedLake.Checksums(lake.Path);
        var second = GeneratedLake.Checksums(other.Path);

        foreach (var table in new[] { "atendentes", "clientes", "chamados", "chamado_logs", "custos_chamado", "pesquisas" })
        {
            Assert.NotEqual(first[table], second[table]);
        }
    }

    [Fact]
    public void Generate_WritesOneFilePerTablePerDay_WithTheRequestedChamados()
    {
        Assert.Equal(7, lake.Summary.Days.Count);
        Assert.Equal(7 * 8, lake.Summary.FilesWritten);
        foreach (var table in VCreditGenerator.Tables)
        {
            var folders = Directory.GetDirectories(Path.Combine(lake.Path, "landing", "postgres_public", table)).Select(Path.GetFileName).Order();
            Assert.Equal(Enumerable.Range(1, 7).Select(day => $"ingestion_date=2026-01-0{day}"), folders);
            var file = Path.Combine(lake.Path, "landing", "postgres_public", table, "ingestion_date=2026-01-03", "day-0003.parquet");
            Assert.True(File.Exists(file), file);
        }

        Assert.Equal(20_000, _db.Scalar<long>($"SELECT count(DISTINCT id_chamado) FROM {Files("chamados")}"));
        Assert.Equal(lake.Summary.RowsPerTable["chamados"], _db.Scalar<long>($"SELECT count(*) FROM {Files("chamados")}"));
        Assert.Equal(5, _db.Scalar<long>($"SELECT count(DISTINCT id_canal) FROM {Files("canais")}"));
        Assert.Equal(12, _db.Scalar<long>($"SELECT count(DISTINCT id_motivo) FROM {Files("motivos")}"));
    }

    [Fact]
    public void Generate_SendsAChamadoAgain_WhenItClosesOnALaterDay()
    {
        var reopened = _db.Scalar<long>(
            $"""
            SELECT count(*) FROM (
                SELECT id_chamado FROM {Files("chamados")}
                GROUP BY id_chamado
                HAVING count(DISTINCT ingestion_date) > 1 AND bool_or(encerrado_em IS NULL) AND bool_or(encerrado_em IS NOT NULL))
            """);
        Assert.InRange(reopened, 500, 8_000);
    }

    [Fact]
    public void Generate_InjectsEachKindOfBadRow_AboutAsOftenAsConfigured()
    {
        // 2% of 20,000 chamados carry one of seven defects: about 57 of each kind.
        var chamados = $"(SELECT * FROM {Files("chamados")} QUALIFY row_number() OVER (PARTITION BY id_chamado ORDER BY atualizado_em DESC, ingestion_date DESC) = 1)";
        var counts = new Dictionary<string, long>
        {
            ["orphan client"] = _db.Scalar<long>(
                $"SELECT count(*) FROM {chamados} c WHERE id_cliente NOT IN (SELECT id_cliente FROM {Files("clientes")})"),
            ["orphan agent"] = _db.Scalar<long>(
                $"SELECT count(*) FROM {chamados} c WHERE id_atendente NOT IN (SELECT id_atendente FROM {Files("atendentes")})"),
            ["closed before opened"] = _db.Scalar<long>($"SELECT count(*) FROM {chamados} c WHERE encerrado_em < aberto_em"),
            ["unknown status"] = _db.Scalar<long>(
                $"SELECT count(*) FROM {chamados} c WHERE lower(trim(status)) NOT IN ('aberto', 'em_atendimento', 'resolvido', 'cancelado')"),
            ["negative cost"] = _db.Scalar<long>($"SELECT count(*) FROM {Files("custos_chamado")} WHERE valor < 0"),
            ["duplicate id in a batch"] = _db.Scalar<long>(
                $"SELECT count(*) FROM (SELECT id_chamado FROM {Files("chamados")} GROUP BY id_chamado, ingestion_date HAVING count(*) > 1)"),
            ["score out of range"] = _db.Scalar<long>(
                $"SELECT count(*) FROM {Files("pesquisas")} WHERE nota_nps NOT BETWEEN 0 AND 10 OR nota_csat NOT BETWEEN 1 AND 5"),
        };

        foreach (var (kind, count) in counts)
        {
            Assert.True(count is >= 25 and <= 110, $"{kind}: {count}");
        }
    }

    [Fact]
    public void Generate_LandsSomeChamadosLate()
    {
        var late = _db.Scalar<long>(
            $"SELECT count(DISTINCT id_chamado) FROM {Files("chamados")} WHERE CAST(aberto_em AS DATE) < ingestion_date AND encerrado_em IS NULL");
        Assert.InRange(late, 1, 2_000);
    }

    [Fact]
    public void GenerateNextDay_AddsTheNextIngestionDate_WithNewChamadosUpdatesAndLateRows()
    {
        using var copy = new TempDirectory();
        VCreditGenerator.Generate(copy.Path, GeneratedLake.DefaultOptions);

        var summary = VCreditGenerator.GenerateNextDay(copy.Path, GeneratedLake.DefaultOptions);

        Assert.Equal([new DateOnly(2026, 1, 8)], summary.Days);
        Assert.Equal(8, summary.FilesWritten);
        var day = $"read_parquet('{Path.Combine(copy.Path, "landing", "postgres_public", "chamados", "ingestion_date=2026-01-08", "day-0008.parquet")}')";
        var newOnes = _db.Scalar<long>($"SELECT count(*) FROM {day} WHERE id_chamado > 20000");
        var updates = _db.Scalar<long>($"SELECT count(*) FROM {day} WHERE id_chamado <= 20000 AND encerrado_em IS NOT NULL");
        var late = _db.Scalar<long>($"SELECT count(*) FROM {day} WHERE id_chamado > 20000 AND aberto_em < DATE '2026-01-08'");
        Assert.InRange(newOnes, 1_500, 5_000);
        Assert.InRange(updates, 50, 2_000);
        Assert.InRange(late, 1, 200);
        Assert.InRange(summary.RowsPerTable["atendentes"], 0, 20);
        Assert.True(File.Exists(Path.Combine(copy.Path, "landing", "postgres_public", "atendentes", "ingestion_date=2026-01-08", "day-0008.parquet")));

        // the old, open version and the new, closed one share the id
        var closedYesterday = _db.Scalar<long>(
            $"""
            SELECT count(*) FROM {day} d
            WHERE d.id_chamado IN (SELECT id_chamado FROM {GeneratedLake.Files(copy.Path, "chamados")}
                                   WHERE ingestion_date = DATE '2026-01-07' AND encerrado_em IS NULL)
            """);
        Assert.True(closedYesterday > 0);
    }

    [Fact]
    public void Generate_RefusesALandingFolderThatHoldsData()
    {
        var error = Assert.Throws<InvalidOperationException>(() => VCreditGenerator.Generate(lake.Path, GeneratedLake.DefaultOptions));
        Assert.Contains("GenerateNextDay", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GenerateNextDay_OnAnEmptyLake_SaysToGenerateFirst()
    {
        using var empty = new TempDirectory();
        var error = Assert.Throws<InvalidOperationException>(() => VCreditGenerator.GenerateNextDay(empty.Path, GeneratedLake.DefaultOptions));
        Assert.Contains("Generate first", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _db.Dispose();

    /// <summary>Each landing file's path in the lake and a checksum of its rows in file order.</summary>
    private List<string> OrderedChecksums(string lakePath) =>
        [.. Directory.GetFiles(Path.Combine(lakePath, "landing"), "*.parquet", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(file =>
            Path.GetRelativePath(lakePath, file) + " " + _db.Scalar<string>(
                $"SELECT md5(coalesce(string_agg(CAST(t AS VARCHAR), chr(10) ORDER BY file_row_number), '')) FROM read_parquet('{file}', file_row_number = true) t"))];

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
