namespace Alquimia.Projects;

/// <summary>
/// The small working project <c>alquimia init</c> writes: one CSV source with a landed file, an incremental silver
/// model whose expectations quarantine a bad row into <c>tb_pedido_invalidos</c>, a gold fact with data tests, and a
/// curated view: every layer built by one <c>alquimia run</c>, and the headline features in the files a new user reads
/// first.
/// </summary>
public static class StarterProject
{
    private static readonly IReadOnlyDictionary<string, string> Files = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["alquimia.yml"] = """
            name: {name}
            warehouse: warehouse.duckdb
            lake: lake
            defaults:
              materialized: table
            max_parallelism: 4
            timeout: 30m
            retries: 1
            """,
        ["sources/loja.yml"] = """
            name: loja
            description: Pedidos exportados pelo sistema da loja, um CSV por dia
            format: csv
            tables:
              - name: pedidos
                description: Um pedido por linha
                primary_key: [id_pedido]
                columns:
                  - {name: id_pedido, type: BIGINT, description: Identificador do pedido}
                  - {name: cliente, type: VARCHAR}
                  - {name: valor, type: "DECIMAL(12,2)", description: Valor total em reais}
                  - {name: status, type: VARCHAR}
                  - {name: atualizado_em, type: TIMESTAMP}
            """,
        ["lake/landing/loja/pedidos/ingestion_date=2026-01-01/pedidos.csv"] = """
            id_pedido,cliente,valor,status,atualizado_em
            1,Ana,120.50,pago,2026-01-01 09:15:00
            2,Bruno,89.90,pago,2026-01-01 10:02:00
            3,Carla,250.00,cancelado,2026-01-01 11:40:00
            4,Ana,42.00,pago,2026-01-01 15:20:00
            5,Davi,-10.00,pago,2026-01-01 16:05:00
            """,
        ["models/silver/tb_pedido.sql"] = """
            /* ---
            materialized: incremental
            unique_key: id_pedido
            watermark: _ingestion_timestamp
            description: Pedidos tipados, um por id, o mais recente vence
            expectations:
              # A pedido that fails a rule goes to silver.tb_pedido_invalidos, not to silver.tb_pedido.
              valor_positivo: valor > 0
              status_conhecido: {expect: "lower(status) IN ('pago', 'cancelado', 'pendente')", action: quarantine}
            --- */
            SELECT id_pedido, trim(cliente) AS cliente, valor, lower(status) AS status, atualizado_em, _ingestion_timestamp
            FROM bronze.pedidos
            """,
        ["models/gold/ft_vendas_diarias.sql"] = """
            /* ---
            materialized: table
            description: Vendas pagas por dia
            tags: [kpi]
            tests:
              - unique: data_referencia
              - not_null: [data_referencia, receita]
            --- */
            SELECT CAST(atualizado_em AS DATE) AS data_referencia, count(*) AS pedidos, sum(valor) AS receita
            FROM silver.tb_pedido
            WHERE status = 'pago'
            GROUP BY ALL
            """,
        ["models/curated/vw_vendas.sql"] = """
            /* ---
            materialized: view
            description: Receita diária para o painel
            --- */
            SELECT data_referencia, pedidos, receita, receita / pedidos AS ticket_medio FROM gold.ft_vendas_diarias
            """,
    };

    /// <summary>Writes the project into <paramref name="directory"/>; refuses when it already holds an alquimia.yml.</summary>
    public static IReadOnlyList<string> WriteTo(string directory)
    {
        var name = new DirectoryInfo(Path.GetFullPath(directory)).Name;
        if (File.Exists(Path.Combine(directory, "alquimia.yml")))
        {
            throw new AlquimiaException($"'{Path.GetFullPath(directory)}' already holds a project (alquimia.yml). Choose an empty folder.");
        }

        var written = new List<string>();
        foreach (var (path, content) in Files)
        {
            var target = Path.Combine(directory, path);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllText(target, content.Replace("{name}", ProjectName(name), StringComparison.Ordinal) + "\n");
            written.Add(path);
        }

        return written;
    }

    private static string ProjectName(string folder)
    {
        var cleaned = new string([.. folder.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')]);
        return cleaned.Length == 0 ? "projeto" : cleaned;
    }
}
