namespace Alquimia.Tests.Deploy;

/// <summary>
/// A small project every model of which the Databricks deploy writes: a CSV source, a silver table, a gold table with
/// data tests and a curated view.
/// </summary>
internal static class DeployableProject
{
    private static readonly Dictionary<string, string> Files = new(StringComparer.Ordinal)
    {
        ["alquimia.yml"] = "name: loja\nwarehouse: warehouse.duckdb\nlake: lake\n",
        ["sources/loja.yml"] = """
            name: loja
            format: csv
            csv: {delimiter: ";"}
            tables:
              - name: pedidos
                description: Um pedido por linha
                columns:
                  - {name: id_pedido, type: BIGINT}
                  - {name: cliente, type: VARCHAR}
                  - {name: valor, type: "DECIMAL(12,2)"}
                  - {name: atualizado_em, type: TIMESTAMP}
            """,
        ["models/silver/tb_pedido.sql"] = """
            /* ---
            materialized: table
            --- */
            SELECT id_pedido, trim(cliente) AS cliente, valor, atualizado_em FROM bronze.pedidos
            """,
        ["models/gold/ft_vendas.sql"] = """
            /* ---
            materialized: table
            tests:
              - unique: data_referencia
            --- */
            SELECT CAST(atualizado_em AS DATE) AS data_referencia, count(*) AS pedidos, sum(valor) AS receita
            FROM silver.tb_pedido
            GROUP BY ALL
            """,
        ["models/curated/vw_vendas.sql"] = """
            /* ---
            materialized: view
            --- */
            SELECT data_referencia, receita / pedidos AS ticket_medio FROM gold.ft_vendas
            """,
    };

    /// <summary>Writes the project into <paramref name="folder"/>; returns the folder.</summary>
    public static string WriteTo(string folder)
    {
        foreach (var (path, text) in Files)
        {
            var file = Path.Combine(folder, path);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, text + "\n");
        }

        return folder;
    }
}
