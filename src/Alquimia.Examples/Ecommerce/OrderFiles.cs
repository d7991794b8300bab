using System.Globalization;
using System.Text.Json;

namespace Alquimia.Examples.Ecommerce;

/// <summary>
/// The orders and order items as the shop's export drops them for the lake, one JSON object a line, a file per table
/// and day: <c>&lt;lake&gt;/landing/pedidos/orders_raw/ingestion_date=YYYY-MM-DD/pedidos-YYYY-MM-DD.json</c> and
/// <c>…/order_items_raw/…/itens-YYYY-MM-DD.json</c>.
/// </summary>
internal static class OrderFiles
{
    public const string Source = "pedidos";
    public const string OrdersTable = "orders_raw";
    public const string ItemsTable = "order_items_raw";

    private const string TimestampFormat = "yyyy-MM-dd HH:mm:ss";

    /// <summary>The newest day whose orders file is in the lake; null when there is none.</summary>
    public static DateOnly? NewestDay(string lakePath)
    {
        var folder = TableFolder(lakePath, OrdersTable);
        return Directory.Exists(folder)
            ? Directory.EnumerateDirectories(folder, "ingestion_date=*")
                .Where(path => Directory.EnumerateFiles(path, "*.json").Any())
                .Select(path => (DateOnly?)DateOnly.ParseExact(Path.GetFileName(path)["ingestion_date=".Length..], "yyyy-MM-dd", CultureInfo.InvariantCulture))
                .Max()
            : null;
    }

    /// <summary>Writes the day's two files; returns their paths.</summary>
    public static (string Orders, string Items) Write(string lakePath, DateOnly day, OrderDay orders)
    {
        var ordersFile = FileOf(lakePath, OrdersTable, day);
        var itemsFile = FileOf(lakePath, ItemsTable, day);
        WriteLines(ordersFile, orders.Orders, (writer, order) =>
        {
            writer.WriteNumber("id_pedido", order.IdPedido);
            if (order.IdCliente is { } customer)
            {
                writer.WriteNumber("id_cliente", customer);
            }
            else
            {
                writer.WriteNull("id_cliente");
            }

            writer.WriteString("pedido_em", Text(order.PedidoEm));
            writer.WriteString("status", order.Status);
            writer.WriteString("forma_pagamento", order.FormaPagamento);
            writer.WriteString("atualizado_em", Text(order.AtualizadoEm));
        });
        WriteLines(itemsFile, orders.Items, (writer, item) =>
        {
            writer.WriteNumber("id_pedido", item.IdPedido);
            writer.WriteNumber("id_item", item.IdItem);
            writer.WriteNumber("id_produto", item.IdProduto);
            if (item.QuantidadeComoTexto is { } word)
            {
                writer.WriteString("quantidade", word);
            }
            else
            {
                writer.WriteNumber("quantidade", item.Quantidade);
            }

            writer.WriteNumber("preco_unitario", item.PrecoUnitario);
        });
        return (ordersFile, itemsFile);
    }

    /// <summary>The orders file of <paramref name="day"/>, line by line.</summary>
    public static List<Order> ReadOrders(string lakePath, DateOnly day)
    {
        var orders = new List<Order>();
        foreach (var line in File.ReadLines(FileOf(lakePath, OrdersTable, day)))
        {
            using var json = JsonDocument.Parse(line);
            var row = json.RootElement;
            var customer = row.GetProperty("id_cliente");
            orders.Add(new Order(
                row.GetProperty("id_pedido").GetInt64(),
                customer.ValueKind == JsonValueKind.Null ? null : customer.GetInt32(),
                Parse(row.GetProperty("pedido_em").GetString()!),
                row.GetProperty("status").GetString()!,
                row.GetProperty("forma_pagamento").GetString()!,
                Parse(row.GetProperty("atualizado_em").GetString()!)));
        }

        return orders;
    }

    public static string TableFolder(string lakePath, string table) => Path.Combine(lakePath, "landing", Source, table);

    private static string FileOf(string lakePath, string table, DateOnly day)
    {
        var date = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var name = table == OrdersTable ? "pedidos" : "itens";
        return Path.Combine(TableFolder(lakePath, table), $"ingestion_date={date}", $"{name}-{date}.json");
    }

    private static void WriteLines<T>(string path, IEnumerable<T> rows, Action<Utf8JsonWriter, T> write)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Written beside the final name and moved there: a reader never sees half a file.
        var partial = path + ".partial";
        using (var stream = new FileStream(partial, FileMode.Create, FileAccess.Write))
        {
            foreach (var row in rows)
            {
                using (var writer = new Utf8JsonWriter(stream))
                {
                    writer.WriteStartObject();
                    write(writer, row);
                    writer.WriteEndObject();
                }

                stream.WriteByte((byte)'\n');
            }
        }

        File.Move(partial, path, overwrite: true);
    }

    private static string Text(DateTime value) => value.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    private static DateTime Parse(string text) => DateTime.ParseExact(text, TimestampFormat, CultureInfo.InvariantCulture);
}
