using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Alquimia.Projects;
using Alquimia.Warehouse;

namespace Alquimia.Lineage;

/// <summary>
/// Builds OpenLineage 2-0-2 run events for the steps of one Alquimia run (docs/running.md, "Lineage"). Naming follows
/// OpenLineage's conventions for a warehouse database, as its dbt integration names DuckDB's: datasets in namespace
/// <c>duckdb://&lt;warehouse file, absolute&gt;</c> named <c>&lt;database&gt;.&lt;layer&gt;.&lt;table&gt;</c>, the
/// database being DuckDB's name for the file (its name without extension); landing folders in namespace <c>file</c>
/// named by their absolute path. Jobs are in the project's namespace, named for their step (<c>silver.tb_chamado</c>);
/// each attempt of a step is a run whose parent is the Alquimia run.
/// </summary>
internal sealed class OpenLineageEvents(Project project, RunRecord run)
{
    /// <summary>This producer, as every event and facet names it.</summary>
    public const string Producer = "https://github.com/alquimia/alquimia";

    public const string RunEventSchema = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent";

    private const string Facets = "https://openlineage.io/spec/facets/";

    private readonly string _database = Path.GetFileNameWithoutExtension(project.WarehousePath);

    /// <summary>The namespace of the warehouse's tables.</summary>
    public string WarehouseNamespace { get; } = "duckdb://" + Path.GetFullPath(project.WarehousePath).Replace('\\', '/');

    /// <summary>The run id of the Alquimia run, the parent of every step's.</summary>
    public Guid ParentRunId => RunIdOf(run.RunId);

    /// <summary>A step attempt's run id: the same for its START and its end, and for the same attempt emitted again.</summary>
    public Guid RunIdOf(string step, int attempt) => RunIdOf($"{run.RunId}/{step}/{attempt}");

    /// <summary>The dataset name of a warehouse table.</summary>
    public string DatasetName(QualifiedName table) => $"{_database}.{table.Schema}.{table.Name}";

    /// <summary>A run event of a step's attempt.</summary>
    public JsonObject RunEvent(string eventType, DateTimeOffset time, string step, int attempt, JsonArray inputs, JsonArray outputs, JsonObject jobFacets, JsonObject? runFacets = null)
    {
        runFacets ??= [];
        runFacets["parent"] = Facet("1-2-0/ParentRunFacet.json#/$defs/ParentRunFacet", new JsonObject
        {
            ["run"] = new JsonObject { ["runId"] = ParentRunId.ToString() },
            ["job"] = new JsonObject { ["namespace"] = project.Name, ["name"] = project.Name },
        });
        runFacets["nominalTime"] = Facet("1-0-1/NominalTimeRunFacet.json#/$defs/NominalTimeRunFacet", new JsonObject
        {
            ["nominalStartTime"] = Timestamp(RunDateStart(0)),
            ["nominalEndTime"] = Timestamp(RunDateStart(1)),
        });
        return new JsonObject
        {
            ["eventType"] = eventType,
            ["eventTime"] = Timestamp(time),
            ["producer"] = Producer,
            ["schemaURL"] = RunEventSchema,
            ["run"] = new JsonObject { ["runId"] = RunIdOf(step, attempt).ToString(), ["facets"] = runFacets },
            ["job"] = new JsonObject { ["namespace"] = project.Name, ["name"] = step, ["facets"] = jobFacets },
            ["inputs"] = inputs,
            ["outputs"] = outputs,
        };
    }

    /// <summary>What the job is: a model (with its SQL) or a source table's ingestion.</summary>
    public static JsonObject JobFacets(string jobType, string? sql)
    {
        var facets = new JsonObject
        {
            ["jobType"] = Facet("2-0-4/JobTypeJobFacet.json#/$defs/JobTypeJobFacet", new JsonObject
            {
                ["processingType"] = "BATCH",
                ["integration"] = "ALQUIMIA",
                ["jobType"] = jobType,
            }),
        };
        if (sql is not null)
        {
            facets["sql"] = Facet("1-1-0/SQLJobFacet.json#/$defs/SQLJobFacet", new JsonObject { ["query"] = sql, ["dialect"] = "duckdb" });
        }

        return facets;
    }

    /// <summary>The run facet of a failed attempt.</summary>
    public static JsonObject ErrorFacets(string message) => new()
    {
        ["errorMessage"] = Facet("1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet", new JsonObject
        {
            ["message"] = message,
            ["programmingLanguage"] = "SQL",
        }),
    };

    /// <summary>A warehouse table as a dataset, with its facets (none when null).</summary>
    public JsonObject Dataset(QualifiedName table, JsonObject? facets = null) => Dataset(WarehouseNamespace, DatasetName(table), facets);

    public static JsonObject Dataset(string @namespace, string name, JsonObject? facets = null)
    {
        var dataset = new JsonObject { ["namespace"] = @namespace, ["name"] = name };
        if (facets is { Count: > 0 })
        {
            dataset["facets"] = facets;
        }

        return dataset;
    }

    /// <summary>The schema facet of columns as built, with the descriptions the model's <c>columns:</c> gives.</summary>
    public static JsonObject SchemaFacet(IReadOnlyList<ColumnInfo> columns, IReadOnlyList<ColumnDescription> descriptions)
    {
        var fields = new JsonArray();
        for (var index = 0; index < columns.Count; index++)
        {
            var field = new JsonObject { ["name"] = columns[index].Name, ["type"] = columns[index].Type, ["ordinal_position"] = index + 1 };
            if (descriptions.FirstOrDefault(description => string.Equals(description.Name, columns[index].Name, StringComparison.OrdinalIgnoreCase)) is { } described)
            {
                field["description"] = described.Description;
            }

            fields.Add(field);
        }

        return Facet("1-2-0/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet", new JsonObject { ["fields"] = fields });
    }

    /// <summary>The column-lineage facet: each output column's input fields, and the inputs of the whole output.</summary>
    public static JsonObject ColumnLineageFacet(IEnumerable<(string Column, IReadOnlyList<InputField> Inputs)> fields, IReadOnlyList<InputField> dataset)
    {
        var byColumn = new JsonObject();
        foreach (var (column, inputs) in fields)
        {
            byColumn[column] = new JsonObject { ["inputFields"] = InputFields(inputs) };
        }

        return Facet("1-2-0/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet", new JsonObject
        {
            ["fields"] = byColumn,
            ["dataset"] = InputFields(dataset),
        });
    }

    /// <summary>An input column of the facet: a dataset's field and the transformations it goes through.</summary>
    public sealed record InputField(string Namespace, string Name, string Field, IReadOnlyList<ColumnTransformation> Transformations);

    /// <summary>A model's lineage as input fields: each source table in the warehouse's namespace, its transformations grouped.</summary>
    public List<InputField> InputFields(IEnumerable<ColumnSource> sources) =>
        [.. sources.GroupBy(source => (source.Dataset, Column: source.Column))
            .Select(group => new InputField(WarehouseNamespace, DatasetName(group.Key.Dataset), group.Key.Column, [.. group.Select(source => source.Transformation).Distinct()]))];

    public static JsonObject OutputStatisticsFacet(long rows) =>
        Facet("1-0-2/OutputStatisticsOutputDatasetFacet.json#/$defs/OutputStatisticsOutputDatasetFacet", new JsonObject { ["rowCount"] = rows });

    private static JsonArray InputFields(IEnumerable<InputField> inputs) =>
        [.. inputs.Select(input => (JsonNode)new JsonObject
        {
            ["namespace"] = input.Namespace,
            ["name"] = input.Name,
            ["field"] = input.Field,
            ["transformations"] = new JsonArray([.. input.Transformations.Select(transformation => (JsonNode)new JsonObject
            {
                ["type"] = transformation.Type,
                ["subtype"] = transformation.SubtypeName,
                ["description"] = "",
                ["masking"] = transformation.Masking,
            })]),
        })];

    private static JsonObject Facet(string schema, JsonObject content)
    {
        content["_producer"] = Producer;
        content["_schemaURL"] = Facets + schema;
        return content;
    }

    /// <summary>Midnight of the run date (plus <paramref name="days"/>) in the project's time zone: the run's nominal window.</summary>
    private DateTimeOffset RunDateStart(int days)
    {
        var midnight = run.RunDate.AddDays(days).ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(midnight, project.Settings.TimeZone.GetUtcOffset(midnight));
    }

    private static string Timestamp(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A UUID (version 8, RFC 9562) from a name: SHA-256 of it, with the version and variant bits set.</summary>
    private static Guid RunIdOf(string name)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes("alquimia-openlineage/" + name), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}
