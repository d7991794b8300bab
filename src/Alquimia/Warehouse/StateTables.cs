using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Warehouse;

/// <summary>
/// The tables of the <c>_alquimia</c> schema, where the warehouse remembers its runs. They carry no constraints:
/// DuckDB's indexes would make concurrent model transactions conflict on them, and every writer appends its own rows.
/// </summary>
internal static class StateTables
{
    public const string Runs = Layer.StateSchema + ".runs";
    public const string ModelRuns = Layer.StateSchema + ".model_runs";
    public const string Watermarks = Layer.StateSchema + ".watermarks";
    public const string IngestedFiles = Layer.StateSchema + ".ingested_files";
    public const string QualityResults = Layer.StateSchema + ".quality_results";
    public const string SourceSyncs = Layer.StateSchema + ".source_syncs";
    public const string SourceCursors = Layer.StateSchema + ".source_cursors";
    public const string RejectedRows = Layer.StateSchema + ".rejected_rows";
    public const string JobSlots = Layer.StateSchema + ".job_slots";
    public const string JobStates = Layer.StateSchema + ".job_states";
    public const string Alerts = Layer.StateSchema + ".alerts";

    private static readonly string[] Definitions =
    [
        $"""
        CREATE TABLE IF NOT EXISTS {Runs} (
            run_id VARCHAR NOT NULL, project VARCHAR, selector VARCHAR, full_refresh BOOLEAN,
            holder VARCHAR, started_at TIMESTAMPTZ, finished_at TIMESTAMPTZ, status VARCHAR,
            models_succeeded INTEGER, models_failed INTEGER, models_skipped INTEGER)
        """,
        $"""
        CREATE TABLE IF NOT EXISTS {ModelRuns} (
            run_id VARCHAR NOT NULL, model VARCHAR NOT NULL, materialization VARCHAR, status VARCHAR, attempt INTEGER,
            started_at TIMESTAMPTZ, finished_at TIMESTAMPTZ, duration_ms BIGINT,
            rows_inserted BIGINT, rows_updated BIGINT, rows_deleted BIGINT, error VARCHAR)
        """,
        $"""
        CREATE TABLE IF NOT EXISTS {Watermarks} (
            model VARCHAR NOT NULL, column_name VARCHAR, value VARCHAR, value_type VARCHAR, run_id VARCHAR, updated_at TIMESTAMPTZ)
        """,
        $"""
        CREATE TABLE IF NOT EXISTS {IngestedFiles} (
            source VARCHAR NOT NULL, table_name VARCHAR NOT NULL, path VARCHAR NOT NULL, size BIGINT, modified_at TIMESTAMPTZ,
            batch_id VARCHAR, run_id VARCHAR, ingested_at TIMESTAMPTZ)
        """,
        $"""
        CREATE TABLE IF NOT EXISTS {QualityResults} (
            run_id VARCHAR NOT NULL, model VARCHAR NOT NULL, rule VARCHAR NOT NULL, kind VARCHAR, action VARCHAR, definition VARCHAR,
            rows_checked BIGINT, rows_failed BIGINT, sample_keys VARCHAR[], recorded_at TIMESTAMPTZ)
        """,
        $"""
        CREATE TABLE IF NOT EXISTS {SourceSyncs} (
            run_id VARCHAR NOT NULL, source VARCHAR NOT NULL, table_name VARCHAR NOT NULL, mode VARCHAR,
            rows_landed BIGINT, rows_loaded BIGINT, files INTEGER, bytes BIGINT,
            started_at TIMESTAMPTZ, finished_at TIMESTAMPTZ, duration_ms BIGINT, checks VARCHAR[], warning VARCHAR)
        """,
        $"""
        CREATE TABLE IF NOT EXISTS {SourceCursors} (
            source VARCHAR NOT NULL, table_name VARCHAR NOT NULL, kind VARCHAR NOT NULL, column_name VARCHAR,
            value VARCHAR NOT NULL, value_type VARCHAR, run_id VARCHAR, updated_at TIMESTAMPTZ)
        """,
        $"""
        CREATE TABLE IF NOT EXISTS {RejectedRows} (
            source VARCHAR NOT NULL, table_name VARCHAR NOT NULL, path VARCHAR NOT NULL, line BIGINT, column_name VARCHAR, error_type VARCHAR,
            reason VARCHAR, content VARCHAR, run_id VARCHAR, rejected_at TIMESTAMPTZ)
        """,
        $"""
        CREATE TABLE IF NOT EXISTS {JobSlots} (
            job VARCHAR NOT NULL, slot_at TIMESTAMPTZ NOT NULL, run_date DATE, run_id VARCHAR, claimed_at TIMESTAMPTZ)
        """,
        $"""
        CREATE TABLE IF NOT EXISTS {JobStates} (
            job VARCHAR NOT NULL, paused BOOLEAN NOT NULL, changed_at TIMESTAMPTZ, changed_by VARCHAR)
        """,
        $"""
        CREATE TABLE IF NOT EXISTS {Alerts} (
            rule VARCHAR NOT NULL, subject VARCHAR NOT NULL, condition VARCHAR, state VARCHAR NOT NULL, summary VARCHAR,
            since TIMESTAMPTZ, sent_at TIMESTAMPTZ, channels VARCHAR, failures VARCHAR, run_id VARCHAR)
        """,
        // Columns added after the first release: warehouses made before them get them here.
        $"ALTER TABLE {IngestedFiles} ADD COLUMN IF NOT EXISTS content_hash VARCHAR",
        $"ALTER TABLE {IngestedFiles} ADD COLUMN IF NOT EXISTS rows BIGINT",
        $"ALTER TABLE {IngestedFiles} ADD COLUMN IF NOT EXISTS outcome VARCHAR",
        $"ALTER TABLE {Runs} ADD COLUMN IF NOT EXISTS run_date DATE",
        $"ALTER TABLE {Runs} ADD COLUMN IF NOT EXISTS error VARCHAR",
        $"ALTER TABLE {ModelRuns} ADD COLUMN IF NOT EXISTS rows_checked BIGINT",
        $"ALTER TABLE {ModelRuns} ADD COLUMN IF NOT EXISTS rows_quarantined BIGINT",
        $"ALTER TABLE {ModelRuns} ADD COLUMN IF NOT EXISTS rows_dropped BIGINT",
        $"ALTER TABLE {ModelRuns} ADD COLUMN IF NOT EXISTS rows_warned BIGINT",
        $"ALTER TABLE {ModelRuns} ADD COLUMN IF NOT EXISTS rows_released BIGINT",
        $"ALTER TABLE {ModelRuns} ADD COLUMN IF NOT EXISTS warning VARCHAR",
    ];

    /// <summary>
    /// Throws unless the state tables that status and the quality report read exist with their newest columns: a
    /// warehouse opened read-only cannot bring them up to date, and a query would fail on what is missing.
    /// </summary>
    public static void EnsureCurrent(CheckedConnection connection, string warehousePath)
    {
        var columns = connection.Scalar<long>(
            $"SELECT count(*) FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = '{Layer.StateSchema}' AND table_name = 'model_runs' AND column_name = 'warning'");
        var tables = connection.Scalar<long>(
            $"SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = '{Layer.StateSchema}' AND table_name IN ('runs', 'model_runs', 'watermarks', 'quality_results')");
        if (columns == 0 || tables < 4)
        {
            throw new AlquimiaException(
                $"The warehouse '{warehousePath}' has no run records yet, or the records of an older Alquimia. Run `alquimia setup` or `alquimia run` once, then try again.");
        }
    }

    /// <summary>Creates the state schema and tables when missing; changes nothing that exists.</summary>
    public static void EnsureCreated(CheckedConnection connection)
    {
        connection.Execute($"CREATE SCHEMA IF NOT EXISTS {Layer.StateSchema}");
        foreach (var definition in Definitions)
        {
            connection.Execute(definition);
        }
    }
}
