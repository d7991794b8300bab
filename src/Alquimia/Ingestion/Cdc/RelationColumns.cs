using Alquimia.Ingestion.Postgres;
using Alquimia.Projects;
using Npgsql;
using Npgsql.Replication.PgOutput.Messages;

namespace Alquimia.Ingestion.Cdc;

/// <summary>
/// A table's columns as a pgoutput Relation message describes them, at that point of the stream (a column added later
/// comes with a new Relation message), mapped as a snapshot's COPY maps the catalog's.
/// </summary>
internal static class RelationColumns
{
    /// <exception cref="AlquimiaException">A column's streamed values cannot be landed exactly: names the table, the column and the fix.</exception>
    public static List<ChangeColumn> Of(RelationMessage relation, NpgsqlConnection catalog, SourceDefinition source, Dictionary<(uint, int), (string, PostgresCatalogType)> types)
    {
        var columns = new List<ChangeColumn>();
        foreach (var entry in relation.Columns)
        {
            var key = (entry.DataTypeId, entry.TypeModifier);
            if (!types.TryGetValue(key, out var type))
            {
                type = Resolve(catalog, entry.DataTypeId, entry.TypeModifier);
                types[key] = type;
            }

            var mapped = PostgresColumn.Map(entry.ColumnName, type.Item1, type.Item2);
            var isKey = (entry.Flags & RelationMessage.Column.ColumnFlags.PartOfKey) != 0;
            columns.Add(ChangeColumn.For(mapped, type.Item2.Name, isKey) ?? throw new AlquimiaException(
                $"Source '{source.Name}': column '{entry.ColumnName}' ({type.Item1}) of table {relation.Namespace}.{relation.RelationName} cannot be captured: "
                + "its changes arrive in a form Alquimia does not land exactly (arrays, and types DuckDB has none for). Leave it out of the publication with "
                + $"a column list (ALTER PUBLICATION {PostgresCdcOptions.Of(source).Publication} SET TABLE {relation.RelationName} (col1, col2, …)), or sync the table with a postgres source."));
        }

        return columns;
    }

    /// <summary>The type as <c>format_type</c> writes it and its catalog entry, domains resolved to their base.</summary>
    private static (string, PostgresCatalogType) Resolve(NpgsqlConnection catalog, uint oid, int modifier)
    {
        using var formatted = new NpgsqlCommand("SELECT format_type($1, $2)", catalog);
        formatted.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Oid, oid);
        formatted.Parameters.AddWithValue(modifier);
        var name = (string)formatted.ExecuteScalar()!;
        return (name, CatalogType(catalog, oid, modifier));
    }

    private static PostgresCatalogType CatalogType(NpgsqlConnection catalog, uint oid, int modifier)
    {
        while (true)
        {
            using var command = new NpgsqlCommand("SELECT typname, typtype, typbasetype, typtypmod, typelem, typcategory FROM pg_type WHERE oid = $1", catalog);
            command.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Oid, oid);
            using var reader = command.ExecuteReader();
            reader.Read();
            var (name, kind, baseType, typeModifier, element, category) =
                (reader.GetString(0), reader.GetChar(1), reader.GetFieldValue<uint>(2), reader.GetInt32(3), reader.GetFieldValue<uint>(4), reader.GetChar(5));
            reader.Close();
            if (kind == 'd')
            {
                (oid, modifier) = (baseType, modifier == -1 ? typeModifier : modifier);
                continue;
            }

            return new PostgresCatalogType(name, modifier, kind == 'e', category == 'A' && element != 0 ? CatalogType(catalog, element, modifier) : null);
        }
    }
}
