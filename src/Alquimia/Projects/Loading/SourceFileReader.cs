using Alquimia.Ingestion;
using YamlDotNet.RepresentationModel;

namespace Alquimia.Projects.Loading;

/// <summary>Reads one <c>sources/*.yml</c> file: a source, its landing format and its tables (docs/projects.md).</summary>
internal sealed class SourceFileReader
{
    private static readonly string[] SourceKeys = ["name", "description", "type", "format", "schema_evolution", "tables", "include", "exclude", "checks", "landing", "bronze"];
    private static readonly string[] TableKeys =
        ["name", "description", "primary_key", "columns", "mode", "cursor", "lookback", "checks", .. FileReadingReader.TableKeys.Except(["mode"])];
    private static readonly string[] DiscoveryKeys = ["include", "exclude"];
    private static readonly string[] ColumnKeys = ["name", "type", "description"];

    /// <summary>The table keys a change-log (CDC) source has no use for.</summary>
    private static readonly string[] ChangeLogRefuses = ["mode", "cursor"];

    private static readonly IReadOnlyDictionary<string, LandingFormat> Formats = new Dictionary<string, LandingFormat>
    {
        ["parquet"] = LandingFormat.Parquet,
        ["csv"] = LandingFormat.Csv,
        ["json"] = LandingFormat.Json,
    };

    private static readonly IReadOnlyDictionary<string, SchemaEvolution> Evolutions = new Dictionary<string, SchemaEvolution>
    {
        ["add_columns"] = SchemaEvolution.AddColumns,
        ["fail"] = SchemaEvolution.Fail,
        ["ignore"] = SchemaEvolution.Ignore,
    };

    private static readonly IReadOnlyDictionary<string, ExtractionMode> Modes = new Dictionary<string, ExtractionMode>
    {
        ["full_refresh"] = ExtractionMode.FullRefresh,
        ["incremental"] = ExtractionMode.Incremental,
    };

    private readonly LoadProblems _problems;
    private readonly ColumnTypeChecker _types;
    private readonly SourceConnectors _connectors;
    private readonly IntervalChecker _intervals;
    private readonly LandingSettings _landing;
    private readonly string _projectDirectory;

    /// <param name="landing">alquimia.yml's landing layout, whose root holds a folder per source.</param>
    /// <param name="projectDirectory">The project's folder, which a source's local landing root is taken from.</param>
    public SourceFileReader(
        LoadProblems problems, ColumnTypeChecker types, SourceConnectors connectors, IntervalChecker intervals, LandingSettings landing, string projectDirectory)
    {
        _problems = problems;
        _types = types;
        _connectors = connectors;
        _intervals = intervals;
        _landing = landing;
        _projectDirectory = projectDirectory;
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

        var connector = _connectors.ByType[yaml.ChoiceOf("type", _connectors.Types) ?? _connectors.DefaultType];
        var foreign = ForeignKeys(yaml, relative, connector);
        yaml.CheckKeys([.. SourceKeys, .. connector.Keys, .. foreign]);
        var name = yaml.String("name", "the source's name, which is also its landing folder, e.g. name: postgres_public.");
        var format = yaml.Choice("format", Formats);
        var evolution = yaml.Choice("schema_evolution", Evolutions) ?? SchemaEvolution.AddColumns;
        if (connector.Traits.Format is { } landsAs)
        {
            // Alquimia writes the landing files itself, in the connector's format.
            if (format is not null && format != landsAs)
            {
                var written = Formats.First(pair => pair.Value == landsAs).Key;
                yaml.Problem(yaml.LineOfKey("format"), $"A {connector.Type} source lands its tables as {landsAs}; remove 'format' from {relative}, or set it to {written}.");
            }

            format = landsAs;
        }
        else if (!yaml.Has("format"))
        {
            yaml.Problem(yaml.Line, $"'format' is missing from {relative}: the format of the landing files, one of: {string.Join(", ", Formats.Keys)}.");
        }

        var options = connector.ReadOptions(yaml);
        var files = connector.Traits.Extracts ? new FileReading() : FileReadingReader.Read(yaml, new FileReading(), table: false);
        var discovery = ReadDiscovery(yaml, relative, connector);
        var checks = SyncChecksReader.Read(yaml);
        var landing = ReadLanding(yaml, relative, connector, name);
        var tables = ListsAllTables(yaml) ? [] : ReadTables(yaml, relative, connector, checks, files);
        var loadsBronze = ReadLoadsBronze(yaml, relative, connector, tables);
        return name is null ? null : new SourceDefinition(name, path, format ?? LandingFormat.Parquet, tables)
        {
            LoadsBronze = loadsBronze,
            Discovery = discovery,
            Checks = checks,
            Description = yaml.String("description"),
            Type = connector.Type,
            Options = options,
            SchemaEvolution = evolution,
            Files = files,
            Landing = landing,
        };
    }

    /// <summary>
    /// The source's landing layout: alquimia.yml's (its root's folder named for the source), with what the source's own
    /// <c>landing</c> sets over it. Only for a source Alquimia extracts: another tool lays out a files source's files.
    /// </summary>
    private LandingSettings ReadLanding(YamlSection yaml, string relative, ISourceConnector connector, string? name)
    {
        if (!connector.Traits.Extracts)
        {
            if (yaml.Has("landing"))
            {
                yaml.Problem(
                    yaml.LineOfKey("landing"),
                    $"'landing' in {relative} sets how Alquimia lays out the files it extracts, and this {connector.Type} source's files are laid out by whoever drops them. "
                    + "Remove it; 'path' on a table says where its files are.");
            }

            return new LandingSettings();
        }

        var inherited = _landing.Root is { } root && name is not null
            ? _landing with { Root = _landing.IsS3 ? $"{root.TrimEnd('/')}/{name}" : Path.Combine(root, name) }
            : _landing;
        var settings = LandingSettingsReader.Read(yaml, inherited, _projectDirectory);
        if (connector.Traits.ChangeLog && settings.IsS3)
        {
            // A sync that fails after landing is read again from the slot, and its batch is set aside locally; the bucket's
            // copy would come back with the next fetch and load a second time.
            yaml.Problem(
                yaml.Has("landing") ? yaml.LineOfKey("landing") : yaml.Line,
                $"A {connector.Type} source does not land in S3 yet ({settings.Root}): a change its failed sync landed would be loaded twice. "
                + $"Give it a local landing root in {relative}, e.g. landing: {{root: lake/landing}}.");
        }

        return settings;
    }

    /// <summary>
    /// <c>bronze: false</c>, for a database source whose tables are all read whole: a files source's files are already
    /// another tool's landing, a change feed acknowledges its slot with bronze's commit, and an incremental sync compares
    /// the rows it reads again with bronze.
    /// </summary>
    private static bool ReadLoadsBronze(YamlSection yaml, string relative, ISourceConnector connector, List<SourceTable> tables)
    {
        if (yaml.Bool("bronze") is not false)
        {
            return true;
        }

        var line = yaml.LineOfKey("bronze");
        if (!connector.Traits.Extracts)
        {
            yaml.Problem(line, $"'bronze: false' in {relative} lands a database's tables without loading them, and this {connector.Type} source's files are landed by another tool: bronze is what Alquimia does with them. Remove it.");
        }
        else if (connector.Traits.ChangeLog)
        {
            yaml.Problem(line, $"'bronze: false' in {relative}: a {connector.Type} source's changes are acknowledged to the server when bronze commits them, so it cannot land without loading. Remove it.");
        }
        else if (tables.FirstOrDefault(table => table.Mode == ExtractionMode.Incremental) is { } incremental)
        {
            yaml.Problem(line,
                $"'bronze: false' in {relative}, and table '{incremental.Name}' is incremental: each sync compares the rows it reads again with bronze, so it needs bronze. "
                + "Remove 'bronze: false', or read the table whole (remove its 'mode: incremental').");
        }

        // What only bronze applies would be accepted and then ignored.
        if (yaml.Has("schema_evolution"))
        {
            yaml.Problem(yaml.LineOfKey("schema_evolution"),
                $"'schema_evolution' in {relative} says what bronze does when a table's columns change, and 'bronze: false' loads no bronze: the landing keeps each sync's columns as they are. Remove one of them.");
        }

        if (tables.FirstOrDefault(table => table.Columns.Count > 0) is { } declared)
        {
            yaml.Problem(declared.Line,
                $"Table '{declared.Name}' in {relative} declares 'columns', which type its bronze table, and 'bronze: false' loads no bronze: the landing keeps the source's own types. Remove one of them.");
        }

        return false;
    }

    /// <summary>
    /// The keys of other connectors that the file has, each recorded as a problem saying whose they are: a files source
    /// with 'connection' most likely lacks its 'type: postgres'.
    /// </summary>
    private List<string> ForeignKeys(YamlSection yaml, string relative, ISourceConnector connector)
    {
        var foreign = new List<string>();
        foreach (var other in _connectors.ByType.Values.Where(other => other != connector))
        {
            foreach (var key in other.Keys.Where(key => !connector.Keys.Contains(key) && !foreign.Contains(key) && yaml.Has(key)))
            {
                foreign.Add(key);
                var kind = other.Traits.Extracts && !connector.Traits.Extracts ? "database" : other.Type;
                yaml.Problem(
                    yaml.LineOfKey(key),
                    $"'{key}' is for {kind} sources, and {relative} is a {connector.Type} source. Add 'type: {other.Type}', or remove '{key}'.");
            }
        }

        return foreign;
    }

    /// <summary><c>tables: all</c> and its patterns, or null when the tables are listed.</summary>
    private static TableDiscovery? ReadDiscovery(YamlSection yaml, string relative, ISourceConnector connector)
    {
        if (!ListsAllTables(yaml))
        {
            foreach (var key in DiscoveryKeys.Where(yaml.Has))
            {
                yaml.Problem(yaml.LineOfKey(key), $"'{key}' in {relative} filters the tables that 'tables: all' finds, and this source lists its tables. Write 'tables: all', or remove '{key}'.");
            }

            return null;
        }

        if (!connector.Traits.ListsTables)
        {
            yaml.Problem(yaml.LineOfKey("tables"), $"'tables: all' in {relative} lists a database's tables, and this is a {connector.Type} source: list the tables whose files land in the lake.");
            return null;
        }

        return new TableDiscovery(yaml.StringOrList("include"), yaml.StringOrList("exclude"), yaml.LineOfKey("tables"));
    }

    private static bool ListsAllTables(YamlSection yaml) =>
        yaml.Node("tables") is YamlScalarNode { Value: { } value } && value.Trim().Equals("all", StringComparison.OrdinalIgnoreCase);

    private List<SourceTable> ReadTables(YamlSection yaml, string relative, ISourceConnector connector, SyncChecks sourceChecks, FileReading sourceFiles)
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

            var table = ReadTable(yaml.Child(mapping, $"a table of {relative}"), relative, connector, sourceChecks, sourceFiles);
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

    private SourceTable? ReadTable(YamlSection yaml, string relative, ISourceConnector connector, SyncChecks sourceChecks, FileReading sourceFiles)
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

        var mode = connector.Traits.Extracts ? described.Choice("mode", Modes) ?? ExtractionMode.FullRefresh : ExtractionMode.FullRefresh;
        var cursor = described.String("cursor");
        var files = connector.Traits.Extracts ? new FileReading() : FileReadingReader.Read(described, sourceFiles, table: true);
        if (!connector.Traits.Extracts)
        {
            if (described.Has("cursor"))
            {
                described.Problem(described.LineOfKey("cursor"), $"'cursor' of {described.Description} is for database sources: files are each loaded once whatever their rows. Remove it, or add 'type: postgres' to the source.");
            }
        }
        else
        {
            foreach (var key in FileReadingReader.TableKeys.Except(["mode"]).Where(described.Has))
            {
                described.Problem(described.LineOfKey(key), $"'{key}' of {described.Description} is for files sources: Alquimia lands a {connector.Type} table's files itself. Remove it.");
            }
        }

        foreach (var key in ChangeLogRefuses.Where(key => connector.Traits.ChangeLog && described.Has(key)))
        {
            described.Problem(
                described.LineOfKey(key),
                $"'{key}' of {described.Description} does not apply to a {connector.Type} source: each sync lands every change since the last one, from the "
                + "source's change log. Remove it.");
        }

        if (connector.Traits.Incremental && mode == ExtractionMode.Incremental && cursor is null)
        {
            described.Problem(described.LineOfKey("mode"), $"{described.Description} is incremental but has no 'cursor': the column that grows with every insert and update, e.g. cursor: atualizado_em.");
        }

        var lookback = described.String("lookback");
        if (lookback is not null && (mode != ExtractionMode.Incremental || !connector.Traits.Incremental))
        {
            described.Problem(described.LineOfKey("lookback"), $"'lookback' of {described.Description} is for incremental tables: it is how far behind the cursor each sync reads again. Remove it, or add 'mode: incremental'.");
            lookback = null;
        }
        else if (lookback is not null && !_intervals.IsValid(lookback, allowNumber: true))
        {
            described.Problem(
                described.LineOfKey("lookback"),
                $"'lookback' of {described.Description} is '{lookback}', which DuckDB does not read as an interval such as '30 minutes' or '2 days', nor is it a number for a numeric cursor.");
            lookback = null;
        }

        var checks = SyncChecksReader.Read(described);
        if (checks.MaxRowDrop is not null && connector.Traits.Incremental && mode == ExtractionMode.Incremental)
        {
            described.Problem(
                SyncChecksReader.LineOfMaxRowDrop(described),
                $"'max_row_drop' of {described.Description} does not apply to an incremental table: each sync reads only the rows changed since the last one, "
                + "so fewer rows than last time is normal. Remove it, or make the table full_refresh.");
        }

        return name is null ? null : new SourceTable(name, yaml.LineOfKey("name"))
        {
            Checks = checks.Over(sourceChecks),
            Description = yaml.String("description"),
            PrimaryKey = yaml.StringOrList("primary_key"),
            Columns = columns,
            Mode = mode,
            Cursor = cursor,
            Lookback = lookback,
            Files = files,
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
