using Alquimia.Orchestration;
using Alquimia.Warehouse;
using MySqlConnector;

namespace Alquimia.Tests.Ingestion.MySql;

/// <summary>
/// What an incremental sync of a MySQL table guarantees (docs/projects.md, "Incremental cursors"), against the real
/// server with concurrent transactions: bronze's latest version of every row is MariaDB's, a row committed late with an
/// older cursor value is landed, NULL cursors and zero dates do not freeze the table, and no row lands twice.
/// </summary>
[Collection(MariaDbTests.Name)]
public sealed class MySqlIncrementalTests : MariaDbProjectTests
{
    private const string LatestStatus =
        "SELECT id || ':' || status FROM bronze.chamados QUALIFY row_number() OVER (PARTITION BY id ORDER BY _ingestion_timestamp DESC) = 1 ORDER BY id";

    public MySqlIncrementalTests(MariaDbServer server)
        : base(server, "name: radar\nretries: 0\n")
    {
    }

    [Fact]
    public async Task AThenBThenAAtTheSameCursorValue_LandsTheLastA_AndNothingTwice()
    {
        Table("id INT PRIMARY KEY, status VARCHAR(10), atualizado_em DATETIME(6)", "(1, 'A', '2026-01-01 10:00:00'), (2, 'A', '2026-01-01 10:00:00')");
        await Sync();
        MariaDbServer.Execute(Database, "UPDATE chamados SET status = 'B' WHERE id = 1");
        Assert.Equal(1L, (await Sync())["chamados"].RowsInserted);
        MariaDbServer.Execute(Database, "UPDATE chamados SET status = 'A' WHERE id = 1");

        var third = await Sync();

        Assert.Equal(1L, third["chamados"].RowsInserted);
        Assert.Equal(["1:A", "2:A"], Query(LatestStatus));
        Assert.Equal(0L, (await Sync())["chamados"].RowsInserted);
        Assert.Equal(["vendas|chamados|2026-01-01 10:00:00|TIMESTAMP"], Query("SELECT source || '|' || table_name || '|' || value || '|' || value_type FROM _alquimia.source_cursors"));
    }

    [Fact]
    public async Task ARowCommittedAfterASync_WithAnOlderTimestamp_IsLandedByTheNext()
    {
        Table("id INT PRIMARY KEY, status VARCHAR(10), atualizado_em TIMESTAMP(6) NULL", "(1, 'aberto', '2026-01-01 10:00:00')");
        await Sync();
        using var late = new MySqlConnection(Database);
        late.Open();
        using var transaction = late.BeginTransaction();
        // Stamped when its transaction began, committed after the sync below.
        Execute(late, transaction, "INSERT INTO chamados VALUES (2, 'aberto', '2026-01-01 10:05:00'); UPDATE chamados SET status = 'fechado', atualizado_em = '2026-01-01 10:05:00' WHERE id = 1");
        MariaDbServer.Execute(Database, "INSERT INTO chamados VALUES (3, 'aberto', '2026-01-01 10:05:07')");
        await Sync();
        Assert.Equal(["1:aberto", "3:aberto"], Query(LatestStatus));
        transaction.Commit();

        var next = await Sync();

        Assert.Equal(2L, next["chamados"].RowsInserted);
        Assert.Equal(["1:fechado", "2:aberto", "3:aberto"], Query(LatestStatus));
        Assert.Equal(0L, (await Sync())["chamados"].RowsInserted);
        // An instant's cursor is kept in UTC.
        Assert.Equal(["2026-01-01 10:05:07+00"], Query("SELECT value FROM _alquimia.source_cursors"));
    }

    [Fact]
    public async Task NullCursorsAndZeroDates_AreLandedWhenTheyChange_AndNeverTwice()
    {
        MariaDbServer.Execute(Database, "SET SESSION sql_mode = ''; CREATE TABLE chamados (id INT PRIMARY KEY, status VARCHAR(10), atualizado_em DATETIME);"
            + "INSERT INTO chamados VALUES (1, 'aberto', NULL), (2, 'aberto', '0000-00-00 00:00:00'), (3, 'aberto', '2026-01-01 10:00:00')");
        WriteSource("  - name: chamados\n    mode: incremental\n    cursor: atualizado_em\n", "zero_dates: null\n");
        await Sync();
        MariaDbServer.Execute(Database, "SET SESSION sql_mode = ''; INSERT INTO chamados VALUES (4, 'aberto', NULL); UPDATE chamados SET status = 'fechado' WHERE id IN (1, 2)");

        var next = await Sync();

        Assert.Equal(3L, next["chamados"].RowsInserted);
        Assert.Equal(["1:fechado", "2:fechado", "3:aberto", "4:aberto"], Query(LatestStatus));
        Assert.Equal(0L, (await Sync())["chamados"].RowsInserted);
    }

    [Fact]
    public async Task AnUnsignedIdCursor_WithALookbackPastZero_ReadsAgainFromZero()
    {
        MariaDbServer.Execute(Database, "CREATE TABLE eventos (id BIGINT UNSIGNED PRIMARY KEY, tipo VARCHAR(10)); INSERT INTO eventos VALUES (1, 'clique'), (2, 'clique'), (5, 'clique')");
        WriteSource("  - name: eventos\n    mode: incremental\n    cursor: id\n    lookback: 1000\n");
        await Sync();
        MariaDbServer.Execute(Database, "INSERT INTO eventos VALUES (7, 'clique'); UPDATE eventos SET tipo = 'toque' WHERE id = 2");

        var next = await Sync();

        // 5 - 1000 is below what a BIGINT UNSIGNED holds: the window starts at 0, and the changed row 2 is read again.
        Assert.Equal(RunStatus.Succeeded, next["eventos"].Status);
        Assert.Equal(2L, next["eventos"].RowsInserted);
        Assert.Equal(["7|UBIGINT"], Query("SELECT value || '|' || value_type FROM _alquimia.source_cursors"));
        Assert.Equal(0L, (await Sync())["eventos"].RowsInserted);
    }

    [Fact]
    public async Task InATableWithoutAKey_ASecondIdenticalRowIsLanded_AndNoRowTwice()
    {
        MariaDbServer.Execute(Database, "CREATE TABLE eventos (tipo VARCHAR(10), criado_em DATETIME); INSERT INTO eventos VALUES ('clique', '2026-01-01 10:00')");
        WriteSource("  - name: eventos\n    mode: incremental\n    cursor: criado_em\n");
        await Sync();
        MariaDbServer.Execute(Database, "INSERT INTO eventos VALUES ('clique', '2026-01-01 10:00')");

        await Sync();
        await Sync();

        Assert.Equal(["clique|2"], Query("SELECT tipo || '|' || count(*) FROM bronze.eventos GROUP BY tipo"));
    }

    [Fact]
    public async Task ATextOrFloatCursor_FailsTheTable_NamingTheColumnAndTheFix()
    {
        MariaDbServer.Execute(Database, "CREATE TABLE notas (id INT, codigo VARCHAR(10), nota FLOAT); INSERT INTO notas VALUES (1, 'a', 1.5)");
        WriteSource("  - name: notas\n    mode: incremental\n    cursor: nota\n");

        var error = (await Sync())["notas"].Error;

        Assert.Contains("the cursor column 'nota' of table notas (vendas.yml:", error, StringComparison.Ordinal);
        Assert.EndsWith("is float, which lands as FLOAT: DuckDB and MySQL do not compare it alike, so rows would be missed or read again. "
            + "Use a DATETIME, TIMESTAMP, DATE, integer or DECIMAL column as the cursor, e.g. updated_at.", error, StringComparison.Ordinal);
    }

    private void Table(string columns, string rows)
    {
        MariaDbServer.Execute(Database, $"CREATE TABLE chamados ({columns}); INSERT INTO chamados VALUES {rows}");
        WriteSource("  - name: chamados\n    mode: incremental\n    cursor: atualizado_em\n");
    }

    private static void Execute(MySqlConnection connection, MySqlTransaction transaction, string sql)
    {
        using var command = new MySqlCommand(sql, connection, transaction);
        command.ExecuteNonQuery();
    }
}
