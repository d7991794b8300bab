namespace Alquimia.Examples.Ecommerce;

/// <summary>A row of the shop's <c>customers</c> table in PostgreSQL.</summary>
internal sealed record Customer(int IdCliente, string Nome, string Email, string Cidade, string Estado, DateTime CriadoEm, DateTime AtualizadoEm);

/// <summary>A row of the shop's <c>products</c> table in PostgreSQL.</summary>
internal sealed record Product(int IdProduto, string Nome, string Categoria, decimal Preco, DateTime CriadoEm, DateTime AtualizadoEm);

/// <summary>One change to customers or products, as the shop's application commits it: an insert or update of a row, or a delete of a key.</summary>
internal abstract record CatalogChange(DateTime At);

/// <summary>A customer inserted (<paramref name="IsNew"/>) or updated to <paramref name="Row"/>.</summary>
internal sealed record CustomerWritten(Customer Row, bool IsNew) : CatalogChange(Row.AtualizadoEm);

/// <summary>A customer deleted.</summary>
internal sealed record CustomerDeleted(int IdCliente, DateTime At) : CatalogChange(At);

/// <summary>A product inserted (<paramref name="IsNew"/>) or updated to <paramref name="Row"/>.</summary>
internal sealed record ProductWritten(Product Row, bool IsNew) : CatalogChange(Row.AtualizadoEm);

/// <summary>A product deleted.</summary>
internal sealed record ProductDeleted(int IdProduto, DateTime At) : CatalogChange(At);
