namespace Alquimia.Ingestion.Postgres;

/// <summary>
/// A column's type as PostgreSQL's catalog gives it, a domain already resolved to the type it is based on (a domain
/// over numeric(10,2) is numeric(10,2)), so that it lands like its base.
/// </summary>
/// <param name="Name"><c>pg_type.typname</c>, e.g. <c>numeric</c> or <c>_int4</c>.</param>
/// <param name="Modifier">The type modifier (<c>atttypmod</c>, or the domain's <c>typtypmod</c>); -1 when there is none.</param>
/// <param name="IsEnum">True for an enum type.</param>
/// <param name="Element">For an array, its element's type; null otherwise.</param>
internal sealed record PostgresCatalogType(string Name, int Modifier, bool IsEnum = false, PostgresCatalogType? Element = null);
