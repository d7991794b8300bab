using Npgsql;
using static Alquimia.Warehouse.DuckDb.SqlText;

namespace Alquimia.Examples.Ecommerce;

/// <summary>
/// The shop's <c>customers</c> and <c>products</c> tables in PostgreSQL, with primary keys (the replica identity a
/// postgres_cdc source needs): created and filled on the first day, changed one statement at a time afterwards, as the
/// shop's application changes them, so that each change is a transaction of its own in the change feed.
/// </summary>
internal sealed class ShopDatabase(NpgsqlConnection connection, string schema)
{
    public static readonly IReadOnlyList<string> Tables = ["customers", "products"];

    private string Customers => $"{Identifier(schema)}.customers";

    private string Products => $"{Identifier(schema)}.products";

    /// <summary>The tables of <see cref="Tables"/> the schema has.</summary>
    public List<string> ExistingTables()
    {
        using var command = new NpgsqlCommand(
            "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = ANY($2) ORDER BY 1", connection);
        command.Parameters.AddWithValue(schema);
        command.Parameters.AddWithValue(Tables.ToArray());
        return Read(command, reader => reader.GetString(0));
    }

    /// <summary>Creates the schema when missing and the two tables, and fills them, in one transaction.</summary>
    public void Create(IReadOnlyList<Customer> customers, IReadOnlyList<Product> products)
    {
        using var transaction = connection.BeginTransaction();
        Execute($"CREATE SCHEMA IF NOT EXISTS {Identifier(schema)}");
        Execute($"""
            CREATE TABLE {Customers} (
                id_cliente integer PRIMARY KEY, nome text NOT NULL, email text NOT NULL, cidade text NOT NULL, estado varchar(2) NOT NULL,
                criado_em timestamp NOT NULL, atualizado_em timestamp NOT NULL);
            CREATE TABLE {Products} (
                id_produto integer PRIMARY KEY, nome text NOT NULL, categoria text NOT NULL, preco numeric(10,2) NOT NULL,
                criado_em timestamp NOT NULL, atualizado_em timestamp NOT NULL);
            """);
        // Npgsql types each value by its CLR type: an unspecified-kind DateTime is a timestamp without time zone.
        using (var copy = connection.BeginBinaryImport($"COPY {Customers} FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var row in customers)
            {
                copy.WriteRow(row.IdCliente, row.Nome, row.Email, row.Cidade, row.Estado, row.CriadoEm, row.AtualizadoEm);
            }

            copy.Complete();
        }

        using (var copy = connection.BeginBinaryImport($"COPY {Products} FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var row in products)
            {
                copy.WriteRow(row.IdProduto, row.Nome, row.Categoria, row.Preco, row.CriadoEm, row.AtualizadoEm);
            }

            copy.Complete();
        }

        transaction.Commit();
    }

    public List<Customer> ReadCustomers()
    {
        using var command = new NpgsqlCommand($"SELECT id_cliente, nome, email, cidade, estado, criado_em, atualizado_em FROM {Customers} ORDER BY id_cliente", connection);
        return Read(command, reader => new Customer(
            reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetDateTime(5), reader.GetDateTime(6)));
    }

    public List<Product> ReadProducts()
    {
        using var command = new NpgsqlCommand($"SELECT id_produto, nome, categoria, preco, criado_em, atualizado_em FROM {Products} ORDER BY id_produto", connection);
        return Read(command, reader => new Product(
            reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.GetDecimal(3), reader.GetDateTime(4), reader.GetDateTime(5)));
    }

    /// <summary>The latest change either table holds (its newest atualizado_em); null when both are empty.</summary>
    public DateTime? LatestChange()
    {
        using var command = new NpgsqlCommand($"SELECT greatest((SELECT max(atualizado_em) FROM {Customers}), (SELECT max(atualizado_em) FROM {Products}))", connection);
        return command.ExecuteScalar() is DateTime latest ? latest : null;
    }

    /// <summary>Applies each change as a transaction of its own, in order.</summary>
    public void Apply(IEnumerable<CatalogChange> changes)
    {
        foreach (var change in changes)
        {
            using var command = change switch
            {
                CustomerWritten { IsNew: true, Row: var row } => Command(
                    $"INSERT INTO {Customers} (id_cliente, nome, email, cidade, estado, criado_em, atualizado_em) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    row.IdCliente, row.Nome, row.Email, row.Cidade, row.Estado, row.CriadoEm, row.AtualizadoEm),
                CustomerWritten { Row: var row } => Command(
                    $"UPDATE {Customers} SET nome = $2, email = $3, cidade = $4, estado = $5, atualizado_em = $6 WHERE id_cliente = $1",
                    row.IdCliente, row.Nome, row.Email, row.Cidade, row.Estado, row.AtualizadoEm),
                CustomerDeleted deleted => Command($"DELETE FROM {Customers} WHERE id_cliente = $1", deleted.IdCliente),
                ProductWritten { IsNew: true, Row: var row } => Command(
                    $"INSERT INTO {Products} (id_produto, nome, categoria, preco, criado_em, atualizado_em) VALUES ($1, $2, $3, $4, $5, $6)",
                    row.IdProduto, row.Nome, row.Categoria, row.Preco, row.CriadoEm, row.AtualizadoEm),
                ProductWritten { Row: var row } => Command(
                    $"UPDATE {Products} SET nome = $2, categoria = $3, preco = $4, atualizado_em = $5 WHERE id_produto = $1",
                    row.IdProduto, row.Nome, row.Categoria, row.Preco, row.AtualizadoEm),
                ProductDeleted deleted => Command($"DELETE FROM {Products} WHERE id_produto = $1", deleted.IdProduto),
                _ => throw new ArgumentException($"Unknown change {change}.", nameof(changes)),
            };
            command.ExecuteNonQuery();
        }
    }

    private NpgsqlCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.AddWithValue(value);
        }

        return command;
    }

    private void Execute(string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private static List<T> Read<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> map)
    {
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(map(reader));
        }

        return rows;
    }
}
