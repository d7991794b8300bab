namespace Alquimia.Projects.Loading;

/// <summary>
/// Reads one <c>models/&lt;layer&gt;/**/&lt;name&gt;.sql</c>: the front matter into a <see cref="ModelConfig"/>, and the SQL
/// through DuckDB's parser, which must see exactly one SELECT. Lines in problems are lines of the .sql file.
/// </summary>
internal sealed class ModelFileReader
{
    private readonly LoadProblems _problems;
    private readonly ModelConfigReader _configs;
    private readonly SqlReferenceExtractor _parser;

    public ModelFileReader(LoadProblems problems, ModelConfigReader configs, SqlReferenceExtractor parser)
    {
        _problems = problems;
        _configs = configs;
        _parser = parser;
    }

    /// <summary>The model in <paramref name="path"/>; it is returned even when broken, so that models reading it are not reported too.</summary>
    public ModelFile Read(string path, string layer)
    {
        var name = new QualifiedName(layer, Path.GetFileNameWithoutExtension(path));
        var text = File.ReadAllText(path);
        var parts = FrontMatter.Split(text);
        if (parts is null)
        {
            _problems.Add(path, FrontMatter.OpeningLineOf(text),
                $"The front matter of '{name}' opens with '{FrontMatter.Opening}' but is never closed; end it with a line '{FrontMatter.Closing}' before the SQL.");
            var broken = new ModelConfig { Materialized = MaterializationKind.Table };
            return new ModelFile(new ModelDefinition(name, path, "", 1, broken, []), []);
        }

        var yaml = parts.Yaml is null
            ? null
            : YamlFile.Parse(parts.Yaml, path, parts.YamlLine, $"the front matter of '{name}'", _problems);
        var config = _configs.Read(yaml, name, path, parts.OpeningLine, _problems);
        var expectations = config.Expectations.Select(rule => ReadExpectation(rule, name, path)).ToList();
        config = config with
        {
            Expectations = expectations.Select(read => read.Rule).ToList(),
            Tests = config.Tests.Select(test => test is ExpressionTest expression ? WithTables(expression, name, path) : test).ToList(),
        };
        // A test may read its own model (an expression test usually does); that is no dependency.
        var testSites = config.Tests.SelectMany(test => test.Reads.Where(table => table != name).Select(table => new ReferenceSite(table.Schema, table.Name, test.Line)));
        var sites = ReadSql(parts, name, config, path)
            .Concat(expectations.SelectMany(read => read.Reads))
            .Concat(testSites)
            .ToList();
        var references = sites
            .Select(site => site.Name)
            .OfType<QualifiedName>()
            .Distinct()
            .OrderBy(reference => reference.ToString(), StringComparer.Ordinal)
            .ToList();
        return new ModelFile(new ModelDefinition(name, path, parts.Sql, parts.SqlLine, config, references), sites);
    }

    /// <summary>The expression test with the tables its SELECT reads, as DuckDB's parser names them.</summary>
    private ExpressionTest WithTables(ExpressionTest test, QualifiedName name, string path)
    {
        var parse = _parser.Parse(test.Sql);
        if (parse.Error is { } error || parse.StatementCount != 1)
        {
            _problems.Add(path, test.Line, $"DuckDB cannot parse the SQL of test '{test.Name}' of '{name}' as one SELECT: {parse.Error ?? "it holds several statements"}. Write a SELECT of the rows that break the rule.");
            return test;
        }

        var tables = parse.References.Where(reference => reference.Schema is not null)
            .Select(reference => new QualifiedName(reference.Schema!, reference.Table)).Distinct().ToList();
        return test with { Tables = tables };
    }

    /// <summary>
    /// The expectation, with its foreign key when it is one, and the tables it reads (a foreign key's table, say): the
    /// model depends on them as on its own SQL's.
    /// </summary>
    private (Expectation Rule, List<ReferenceSite> Reads) ReadExpectation(Expectation rule, QualifiedName name, string path)
    {
        var parse = _parser.Parse($"SELECT ({rule.Expression})");
        if (parse.Error is { } error || parse.StatementCount != 1)
        {
            _problems.Add(path, rule.Line, $"DuckDB cannot parse expectation '{rule.Name}' of '{name}' as one SQL condition: {parse.Error ?? "it holds several statements"}. Write a boolean expression over the model's columns, e.g. valor >= 0.");
            return (rule, []);
        }

        return (rule with { ForeignKey = parse.ForeignKey }, parse.References.Select(reference => new ReferenceSite(reference.Schema, reference.Table, rule.Line)).ToList());
    }

    /// <summary>Parses the model's SELECT, reporting what is wrong with it; returns the tables it reads.</summary>
    private List<ReferenceSite> ReadSql(FrontMatter parts, QualifiedName name, ModelConfig config, string path)
    {
        var parse = _parser.Parse(parts.Sql);
        if (parse.Error is { } error)
        {
            var line = parts.SqlLine + SqlReferenceExtractor.LineOfByteOffset(parts.Sql, parse.ErrorByteOffset ?? 0);
            var message = error.StartsWith("Only SELECT statements", StringComparison.Ordinal)
                ? $"Model '{name}' must be one SELECT statement; DuckDB reads another kind of statement here. Write only the SELECT: Alquimia creates and fills '{name}' itself."
                : $"DuckDB cannot parse the SQL of '{name}': {error}.";
            _problems.Add(path, line, message);
            return [];
        }

        if (parse.StatementCount != 1)
        {
            var found = parse.StatementCount == 0 ? "there is no SQL after the front matter" : $"it holds {parse.StatementCount} statements";
            _problems.Add(path, parts.SqlLine, $"Model '{name}' must be exactly one SELECT statement, but {found}.");
            return [];
        }

        if (config.Materialized == MaterializationKind.View)
        {
            ReportBuildFunctionsInView(parse, parts, name, path);
        }

        return parse.References
            .Select(reference => new ReferenceSite(
                reference.Schema, reference.Table, parts.SqlLine + SqlReferenceExtractor.LineOfByteOffset(parts.Sql, reference.ByteOffset)))
            .ToList();
    }

    /// <summary>
    /// A view keeps its SQL in the warehouse and runs it whenever it is read (by a dashboard, a BI tool, another
    /// model); is_incremental() and watermark_lower_bound() exist only on the connection building a model, so every
    /// other reader of the view would fail.
    /// </summary>
    private void ReportBuildFunctionsInView(SqlParse parse, FrontMatter parts, QualifiedName name, string path)
    {
        foreach (var call in parse.Functions.Where(call => ModelFunctionNames.All.Contains(call.Name, StringComparer.OrdinalIgnoreCase)))
        {
            _problems.Add(path, parts.SqlLine + SqlReferenceExtractor.LineOfByteOffset(parts.Sql, call.ByteOffset),
                $"View '{name}' calls {call.Name}(), which exists only while Alquimia builds a model: a view runs its SQL whenever it is read, "
                + "where the function is missing. Remove the call (a view reads every row anyway), or make the model a table or incremental.");
        }
    }
}
