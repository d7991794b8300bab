namespace Alquimia.Examples.Ecommerce;

/// <summary>A line of the orders file: an order as placed, or a later version of it with a new status.</summary>
/// <param name="IdCliente">NULL only in the deliberately bad order without a customer.</param>
internal sealed record Order(long IdPedido, int? IdCliente, DateTime PedidoEm, string Status, string FormaPagamento, DateTime AtualizadoEm);

/// <summary>A line of the order items file.</summary>
/// <param name="Quantidade">The quantity; ignored when <paramref name="QuantidadeComoTexto"/> is set.</param>
/// <param name="QuantidadeComoTexto">A quantity written as a word ("duas"): a deliberately bad row whose value does not fit the column.</param>
internal sealed record OrderItem(long IdPedido, int IdItem, int IdProduto, int Quantidade, decimal PrecoUnitario, string? QuantidadeComoTexto = null);

/// <summary>The statuses an order goes through; any other is a bad row.</summary>
internal static class OrderStatus
{
    public const string Pago = "pago";
    public const string Enviado = "enviado";
    public const string Entregue = "entregue";
    public const string Cancelado = "cancelado";

    /// <summary>The unknown status of the deliberately bad order.</summary>
    public const string Desconhecido = "extraviado";
}
