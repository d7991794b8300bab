using YamlDotNet.RepresentationModel;

namespace Alquimia.Projects.Loading;

/// <summary>Reads one <c>sources/*.yml</c> file: a source, its landing format and its tables (docs/projects.md).</summary>
internal sealed class SourceFileReader
{
    private static readonly string[] SourceKeys = ["name", "description", "format", "tables"];
    private static readonly string[] TableKeys = ["name", "description", "primary_key", "columns"];
    private static readonly string[] ColumnKeys = ["name", "type", "description"];

    private static readonly IReadOnlyDictionary<string, LandingFormat> Formats = new Dictionary<string, LandingFormat>
    {
        ["parquet"] = LandingFormat.Parquet,
        ["csv"] = LandingFormat.Csv,
        ["json"] = LandingFormat.Json,
    };

    private readonly LoadProblems _problems;
    private readonly ColumnTypeChecker _types;

    public SourceFileReader(LoadProblems problems, ColumnTypeChecker types)
    {
        _problems = problems;
        _types = types;
    }

    /// <summary>The source the file defines, or null when it is too broken to name one (the problems are recorded).</summary>
    public SourceDefinition? Read(string path)
    {
        var relative = _problems.Relative(path);
        var yaml = YamlFile.Parse(File.ReadAllText(path), path, 1, relative, _problems);
        if (yaml is null)
        {
            return null;
        }

        yaml.CheckKeys(SourceKeys);
        var name = yaml.String("name", "the source's name, which is also its landing folder, e.g. name: postgres_public.");
        var format = yaml.Choice("format", Formats);
        if (!yaml.Has("format"))
        {
            yaml.Problem(yaml.Line, $"'format' is missing from {relative}: the format of the landing files, one of: {string.Join(", ", Formats.Keys)}.");
        }

        var tables = ReadTables(yaml, relative);
        return name is null ? null : new SourceDefinition(name, path, format ?? LandingFormat.Parquet, tables)
        {
            Description = yaml.String("description"),
        };
    }

    private List<SourceTable> ReadTables(YamlSection yaml, string relative)
    {
        var tables = new List<SourceTable>();
        var sequence = yaml.Sequence("tables");
        if (sequence is null)
        {
            if (!yaml.Has("tables"))
            {
                yaml.Problem(yaml.Line, $"'tables' is missing from {relative}: the list of tables whose files land in the lake, each with at least a name.");
            }

            return tables;
        }

        var lines = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in sequence.Children)
        {
            if (item is not YamlMappingNode mapping)
            {
                yaml.Problem(yaml.LineOf(item), $"Each entry of 'tables' in {relative} should be a mapping with at least 'name', not a {YamlSection.KindOf(item)}.");
                continue;
            }

            var table = ReadTable(yaml.Child(mapping, $"a table of {relative}"), relative);
            if (table is null)
            {
                continue;
            }

            if (lines.TryGetValue(table.Name, out var firstLine))
            {
                yaml.Problem(table.Line, $"Table '{table.Name}' is declared twice in {relative} (first at line {firstLine}); remove one.");
                continue;
            }

            lines[table.Name] = table.Line;
            tables.Add(table);
        }

        return tables;
    }

    private SourceTable? ReadTable(YamlSection yaml, string relative)
    {
        yaml.CheckKeys(TableKeys);
        var name = yaml.String("name", "the table's name in the source, which is also its bronze table's name.");
        var described = name is null ? yaml : yaml.Describe($"table '{name}' of {relative}");
        var columns = new List<SourceColumn>();
        if (described.Sequence("columns") is { } sequence)
        {
            foreach (var item in sequence.Children)
            {
                if (item is not YamlMappingNode mapping)
                {
                    described.Problem(described.LineOf(item), $"Each entry of 'columns' in {described.Description} should be a mapping with 'name' and 'type', not a {YamlSection.KindOf(item)}.");
                    continue;
                }

                if (ReadColumn(described.Child(mapping, $"a column of {described.Description}"), described.Description) is { } column)
                {
                    columns.Add(column);
                }
            }
        }

        return name is null ? null : new SourceTable(name, yaml.LineOfKey("name"))
        {
            Description = yaml.String("description"),
            PrimaryKey = yaml.StringOrList("primary_key"),
            Columns = columns,
        };
    }

    private SourceColumn? ReadColumn(YamlSection yaml, string table)
    {
        yaml.CheckKeys(ColumnKeys);
        var name = yaml.String("name", "the column's name.");
        var type = yaml.String("type", "its DuckDB type, e.g. type: BIGINT.");
        if (name is null || type is null)
        {
            return null;
        }

        if (_types.Check(type) is { } problem)
        {
            yaml.Problem(yaml.LineOfKey("type"), $"Column '{name}' of {table}: {problem}");
            return null;
        }

        return new SourceColumn(name, type, yaml.String("description"));
    }
}
