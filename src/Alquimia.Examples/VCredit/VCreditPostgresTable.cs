using static Alquimia.Warehouse.DuckDb.SqlText;

namespace Alquimia.Examples.VCredit;

/// <summary>
/// One V-Credit source table as the Supabase app holds it in PostgreSQL: the generator's columns with their values,
/// a primary key, and <c>gravado_em</c>, the moment the app last wrote the row, which incremental syncs read from.
/// </summary>
/// <param name="Name">The table's name, as in <see cref="VCreditGenerator.Tables"/>.</param>
/// <param name="Key">The columns identifying a row.</param>
/// <param name="KeyIsUnique">
/// Whether <see cref="Key"/> is a primary key. chamados has none: the generator's 'duplicado' defect sends one id twice,
/// with different content, which a primary key would refuse; its key is an ordinary index there.
/// </param>
/// <param name="WrittenAt">
/// The SQL of <c>gravado_em</c> over the generator's rows: the row's own time, or the start of the day it lands when
/// it lands later than that (a late row is written late). Never before an earlier day's rows, so a sync that read up to
/// one day's end misses nothing of the next.
/// </param>
internal sealed record VCreditPostgresTable(string Name, IReadOnlyList<string> Key, bool KeyIsUnique, string WrittenAt)
{
    /// <summary>The column the app stamps on every write.</summary>
    public const string WrittenAtColumn = "gravado_em";

    /// <summary>The eight tables, in the order of <see cref="VCreditGenerator.Tables"/>.</summary>
    public static IReadOnlyList<VCreditPostgresTable> All { get; } =
    [
        new("atendentes", ["id_atendente"], true, "greatest(atualizado_em, lote::TIMESTAMP)"),
        new("clientes", ["id_cliente"], true, "greatest(atualizado_em, lote::TIMESTAMP)"),
        // Written once, long before the data starts; the source re-sends them unchanged every day.
        new("canais", ["id_canal"], true, "atualizado_em"),
        new("motivos", ["id_motivo"], true, "atualizado_em"),
        new("custos_chamado", ["id_custo"], true, "greatest(registrado_em, lote::TIMESTAMP)"),
        new("pesquisas", ["id_pesquisa"], true, "greatest(respondida_em, lote::TIMESTAMP)"),
        new("chamado_logs", ["id_log"], true, "greatest(registrado_em, lote::TIMESTAMP)"),
        new("chamados", ["id_chamado"], false, "greatest(atualizado_em, lote::TIMESTAMP)"),
    ];

    /// <summary>
    /// The DuckDB query of the rows to write, from the generator's <paramref name="rows"/> (which carry <c>lote</c>).
    /// Over several days a table holds each row's latest version only: the one of the last day it was sent (for
    /// chamados, every row of that day, so a duplicated id stays duplicated).
    /// </summary>
    public string Select(string rows, bool severalDays)
    {
        // In the order of the landing files (VCreditGenerator.PlaceDay): a table's rows are then read back in the same
        // order by either road, so that versions of a key that tie on their watermark are told apart alike.
        var select = $"SELECT * EXCLUDE (lote), {WrittenAt} AS {WrittenAtColumn} FROM ({rows})";
        if (!severalDays)
        {
            return $"{select} ORDER BY ALL";
        }

        var key = string.Join(", ", Key.Select(Identifier));
        return KeyIsUnique
            ? $"{select} QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY lote DESC) = 1 ORDER BY ALL"
            : $"{select} QUALIFY lote = max(lote) OVER (PARTITION BY {key}) ORDER BY ALL";
    }

    /// <summary>CREATE TABLE with the columns only: keys and indexes come after the first load, which is faster.</summary>
    public string Create(string schema, IReadOnlyList<VCreditPostgresColumn> columns) =>
        $"CREATE TABLE {Qualified(schema)} ({string.Join(", ", columns.Select(column => $"{Identifier(column.Name)} {column.PostgresType}{(IsRequired(column.Name) ? " NOT NULL" : "")}"))})";

    /// <summary>The primary key (or the key's index) and the index of <c>gravado_em</c> that incremental syncs read by.</summary>
    public string Index(string schema)
    {
        var key = string.Join(", ", Key.Select(Identifier));
        var keyIndex = KeyIsUnique
            ? $"ALTER TABLE {Qualified(schema)} ADD PRIMARY KEY ({key})"
            : $"CREATE INDEX {Identifier($"{Name}_{string.Join("_", Key)}_idx")} ON {Qualified(schema)} ({key})";
        return $"{keyIndex};\nCREATE INDEX {Identifier($"{Name}_{WrittenAtColumn}_idx")} ON {Qualified(schema)} ({Identifier(WrittenAtColumn)})";
    }

    /// <summary>
    /// Moves a next day's rows from <paramref name="staging"/> into the table, as the app's writes would leave it: a row
    /// whose key exists replaces it, a new one is inserted, and an identical one is left alone (its gravado_em too).
    /// chamados, without a primary key, replaces every row of the id.
    /// </summary>
    public string Merge(string schema, string staging, IReadOnlyList<VCreditPostgresColumn> columns)
    {
        if (!KeyIsUnique)
        {
            var matches = string.Join(" AND ", Key.Select(column => $"t.{Identifier(column)} = s.{Identifier(column)}"));
            return $"DELETE FROM {Qualified(schema)} t USING {Identifier(staging)} s WHERE {matches};\nINSERT INTO {Qualified(schema)} SELECT * FROM {Identifier(staging)}";
        }

        var content = columns.Where(column => column.Name != WrittenAtColumn && !Key.Contains(column.Name)).Select(column => Identifier(column.Name)).ToList();
        return $"""
            INSERT INTO {Qualified(schema)} AS t SELECT * FROM {Identifier(staging)}
            ON CONFLICT ({string.Join(", ", Key.Select(Identifier))}) DO UPDATE
            SET {string.Join(", ", columns.Where(column => !Key.Contains(column.Name)).Select(column => $"{Identifier(column.Name)} = EXCLUDED.{Identifier(column.Name)}"))}
            WHERE ({string.Join(", ", content.Select(column => $"t.{column}"))}) IS DISTINCT FROM ({string.Join(", ", content.Select(column => $"EXCLUDED.{column}"))})
            """;
    }

    public string Qualified(string schema) => $"{Identifier(schema)}.{Identifier(Name)}";

    private bool IsRequired(string column) => Key.Contains(column) || column == WrittenAtColumn;
}

/// <summary>A column of a generated table: its name, its DuckDB type and the PostgreSQL type it is written as.</summary>
internal sealed record VCreditPostgresColumn(string Name, string DuckDbType, string PostgresType)
{
    /// <summary>The column as PostgreSQL declares it; the generator only produces the types listed here.</summary>
    public static VCreditPostgresColumn Map(string name, string duckDbType) => new(name, duckDbType, duckDbType switch
    {
        "BOOLEAN" => "boolean",
        "INTEGER" => "integer",
        "BIGINT" => "bigint",
        "DOUBLE" => "double precision",
        "VARCHAR" => "text",
        "DATE" => "date",
        "TIMESTAMP" => "timestamp",
        _ when duckDbType.StartsWith("DECIMAL(", StringComparison.Ordinal) => "numeric" + duckDbType["DECIMAL".Length..],
        _ => throw new InvalidOperationException($"The generator's column '{name}' has DuckDB type {duckDbType}, which has no PostgreSQL type here. Add it to VCreditPostgresColumn.Map."),
    });
}
