using Alquimia.Projects;

namespace Alquimia.Tests.Projects;

/// <summary><c>checks:</c> of sources/*.yml: read per source, overridden per table, and checked when the project loads.</summary>
public sealed class SyncChecksLoadingTests : IDisposable
{
    private readonly ProjectFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Load_TableChecksOverrideTheSourcesKeyByKey()
    {
        _folder.Write("sources/pg.yml", """
            name: pg
            type: postgres
            connection: postgres://leitor@db/central
            checks: {max_row_drop: 0.5, warn_after: 10m}
            tables:
              - name: chamados
                checks:
                  max_row_drop: 0.2
              - name: clientes
            """);

        var tables = _folder.Load().Sources.Single().Tables;

        Assert.Equal(new SyncChecks { MaxRowDrop = 0.2, WarnAfter = TimeSpan.FromMinutes(10) }, tables[0].Checks);
        Assert.Equal(new SyncChecks { MaxRowDrop = 0.5, WarnAfter = TimeSpan.FromMinutes(10) }, tables[1].Checks);
    }

    [Fact]
    public void Load_ReportsAnUnknownCheckWithItsLine_AndTheClosestKey()
    {
        _folder.Write("sources/pg.yml", "name: pg\nformat: csv\nchecks:\n  max_rows_drop: 0.5\ntables:\n  - name: chamados\n");

        _folder.SingleProblem("sources/pg.yml", 4, "Unknown key 'max_rows_drop'", "Did you mean 'max_row_drop'?");
    }

    [Fact]
    public void Load_ReportsAShareOutsideZeroToOne_AndADurationWithoutUnit_Together()
    {
        _folder.Write("sources/pg.yml", "name: pg\nformat: csv\ntables:\n  - name: chamados\n    checks:\n      max_row_drop: 50\n      warn_after: 10\n");

        var problems = _folder.Problems();

        Assert.Equal(2, problems.Count);
        ProjectFolder.AssertProblem(problems[0], "sources/pg.yml", 6, "'max_row_drop'", "should be a share from 0 to 1", "not '50'");
        ProjectFolder.AssertProblem(problems[1], "sources/pg.yml", 7, "'warn_after'", "should be a duration with a unit", "'10' is not one");
    }

    [Fact]
    public void Load_RejectsMaxRowDropOnAnIncrementalTable_ButNotOnTheSourceOfOne()
    {
        _folder.Write("sources/pg.yml", """
            name: pg
            type: postgres
            connection: postgres://leitor@db/central
            checks: {max_row_drop: 0.5}
            tables:
              - name: eventos
                mode: incremental
                cursor: criado_em
              - name: chamados
                mode: incremental
                cursor: atualizado_em
                checks: {max_row_drop: 0.5}
            """);

        _folder.SingleProblem("sources/pg.yml", 12, "'max_row_drop' of table 'chamados' of sources/pg.yml does not apply to an incremental table", "make the table full_refresh");
    }
}
