using YamlDotNet.RepresentationModel;

namespace Alquimia.Projects.Loading;

/// <summary>
/// Reads a model's <c>columns</c>: a mapping <c>name: description</c>, or a list of <c>{name, description}</c>.
/// </summary>
internal static class ColumnsReader
{
    public static IReadOnlyList<ColumnDescription> Read(YamlSection yaml)
    {
        var columns = new List<ColumnDescription>();
        switch (yaml.Node("columns"))
        {
            case null:
                break;
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is YamlScalarNode name && value is YamlScalarNode description)
                    {
                        columns.Add(new ColumnDescription(name.Value ?? "", description.Value ?? ""));
                    }
                    else
                    {
                        yaml.Problem(yaml.LineOf(key), $"Each entry of 'columns' in {yaml.Description} is 'column: description', with text on both sides.");
                    }
                }

                break;
            case YamlSequenceNode sequence:
                foreach (var item in sequence.Children)
                {
                    if (item is not YamlMappingNode entry)
                    {
                        yaml.Problem(yaml.LineOf(item), $"Each entry of the 'columns' list in {yaml.Description} is a mapping with 'name' and 'description'.");
                        continue;
                    }

                    var column = yaml.Child(entry, $"a column of {yaml.Description}");
                    column.CheckKeys(["name", "description"]);
                    if (column.String("name", "the column's name.") is { } name)
                    {
                        columns.Add(new ColumnDescription(name, column.String("description") ?? ""));
                    }
                }

                break;
            case var node:
                yaml.Problem(yaml.LineOf(node), $"'columns' in {yaml.Description} should be a mapping (column: description) or a list of {{name, description}}, not a single value.");
                break;
        }

        return columns;
    }
}
