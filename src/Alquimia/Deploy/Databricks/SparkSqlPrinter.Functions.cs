using System.Text.Json;

namespace Alquimia.Deploy.Databricks;

public sealed partial class SparkSqlPrinter
{
    /// <summary>Functions both engines spell and mean alike: printed as they are.</summary>
    private static readonly HashSet<string> SameFunctions = new(StringComparer.Ordinal)
    {
        "sum", "avg", "min", "max", "count", "lower", "upper", "trim", "ltrim", "rtrim", "lpad", "rpad", "nullif", "length", "greatest", "least", "abs",
        "round", "floor", "ceil", "concat", "substring", "replace", "year", "month", "day", "hour", "minute", "second", "coalesce", "stddev", "stddev_samp",
        "stddev_pop", "variance", "var_samp", "var_pop", "median", "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead",
        "first_value", "last_value", "sqrt", "power", "exp", "ln", "log10", "sign", "left", "right", "reverse", "repeat", "split_part", "starts_with",
        "ends_with", "contains", "md5", "sha256", "current_date", "make_date", "bool_and", "bool_or", "any_value", "string_agg",
    };

    /// <summary>Functions Spark spells otherwise, with the same arguments.</summary>
    private static readonly Dictionary<string, string> RenamedFunctions = new(StringComparer.Ordinal)
    {
        ["arg_max"] = "max_by",
        ["arg_min"] = "min_by",
        ["arg_max_null"] = "max_by",
        ["arg_min_null"] = "min_by",
        ["strpos"] = "instr",
        ["list"] = "collect_list",
        ["array_agg"] = "collect_list",
        ["stddev"] = "stddev",
        ["mode"] = "mode",
        ["quantile_cont"] = "percentile",
    };

    /// <summary>DuckDB's date part names and Spark's units.</summary>
    private static readonly Dictionary<string, string> DateUnits = new(StringComparer.OrdinalIgnoreCase)
    {
        ["year"] = "YEAR", ["quarter"] = "QUARTER", ["month"] = "MONTH", ["week"] = "WEEK", ["day"] = "DAY", ["hour"] = "HOUR",
        ["minute"] = "MINUTE", ["second"] = "SECOND", ["millisecond"] = "MILLISECOND", ["microsecond"] = "MICROSECOND",
    };

    private sealed partial class Printing
    {
        private string FunctionName(JsonElement node, string name) =>
            SameFunctions.Contains(name) ? name
            : RenamedFunctions.TryGetValue(name, out var renamed) ? renamed
            : throw Refuse(node, $"the function {name}()", "use a function both engines have (docs/databricks.md lists them)");

        private string Function(JsonElement node, Func<JsonElement, string> child)
        {
            var name = node.GetProperty("function_name").GetString()!;
            var children = node.GetProperty("children").EnumerateArray().ToList();
            var arguments = children.Select(child).ToList();
            if (node.TryGetProperty("is_operator", out var isOperator) && isOperator.GetBoolean())
            {
                return Arithmetic(node, name, arguments);
            }

            if (node.TryGetProperty("order_bys", out var orderBys) && orderBys.TryGetProperty("orders", out var orders) && orders.GetArrayLength() > 0)
            {
                throw Refuse(node, $"ORDER BY inside {name}()", "order the rows in a subquery");
            }

            var distinct = node.TryGetProperty("distinct", out var isDistinct) && isDistinct.GetBoolean();
            var filter = node.TryGetProperty("filter", out var clause) && clause.ValueKind != JsonValueKind.Null ? child(clause) : null;
            string Call(string function, IEnumerable<string> args) => $"{function}({(distinct ? "DISTINCT " : "")}{string.Join(", ", args)})";
            var call = name switch
            {
                "count_star" => "count(*)",
                // DISTINCT with FILTER, which older Spark refuses, as the same count of the values the filter keeps.
                "count" when distinct && filter is not null => $"count(DISTINCT CASE WHEN {filter} THEN {arguments[0]} END)",
                "row" => $"struct({string.Join(", ", arguments)})",
                "date_trunc" => $"date_trunc({Unit(node, children[0])}, {arguments[1]})",
                "date_diff" or "datediff" => $"timestampdiff({Unit(node, children[0]).Trim('\'')}, {arguments[1]}, {arguments[2]})",
                "date_part" or "datepart" => $"date_part({Unit(node, children[0])}, {arguments[1]})",
                "regexp_replace" => RegexpReplace(node, children, arguments),
                "regexp_matches" when arguments.Count == 2 => $"{arguments[0]} RLIKE {arguments[1]}",
                "to_hours" => $"make_dt_interval(0, {arguments[0]}, 0, 0)",
                "to_minutes" => $"make_dt_interval(0, 0, {arguments[0]}, 0)",
                "to_seconds" => $"make_dt_interval(0, 0, 0, {arguments[0]})",
                "to_days" => $"make_dt_interval({arguments[0]}, 0, 0, 0)",
                "concat_ws" or "ifnull" => $"{(name == "ifnull" ? "coalesce" : name)}({string.Join(", ", arguments)})",
                "~~" => $"{arguments[0]} LIKE {arguments[1]}",
                "!~~" => $"{arguments[0]} NOT LIKE {arguments[1]}",
                "~~*" => $"{arguments[0]} ILIKE {arguments[1]}",
                "!~~*" => $"{arguments[0]} NOT ILIKE {arguments[1]}",
                "||" => $"concat({string.Join(", ", arguments)})",
                // Alquimia's own: the run's date and start are job parameters; the watermark a session variable the
                // materialization declares before the model's SELECT.
                "run_date" => "CAST(:run_date AS DATE)",
                "run_started_at" => "CAST(:run_started_at AS TIMESTAMP_NTZ)",
                "is_incremental" => "(alquimia_watermark IS NOT NULL)",
                "watermark_lower_bound" => "alquimia_watermark",
                _ => Call(FunctionName(node, name), arguments),
            };
            return filter is null || name == "count" && distinct ? call : $"{call} FILTER (WHERE {filter})";
        }

        private string Arithmetic(JsonElement node, string name, List<string> arguments) => (name, arguments.Count) switch
        {
            ("-", 1) => $"(- {arguments[0]})",
            ("+" or "-" or "*", 2) => $"({arguments[0]} {name} {arguments[1]})",
            // DuckDB answers NULL to a division by zero; Databricks SQL (ANSI) fails the query: try_divide answers NULL.
            ("/", 2) => $"try_divide({arguments[0]}, {arguments[1]})",
            ("//", 2) => $"({arguments[0]} DIV {arguments[1]})",
            ("%", 2) => $"try_mod({arguments[0]}, {arguments[1]})",
            ("||", _) => $"concat({string.Join(", ", arguments)})",
            _ => throw Refuse(node, $"the operator {name}", "write it with +, -, *, / or a function both engines have"),
        };

        /// <summary>A date part given as a string constant (<c>'week'</c>), as Spark's unit.</summary>
        private string Unit(JsonElement node, JsonElement part)
        {
            if (part.GetProperty("class").GetString() == "CONSTANT" && part.GetProperty("value").GetProperty("value").GetString() is { } text && DateUnits.TryGetValue(text, out var unit))
            {
                return $"'{unit}'";
            }

            throw Refuse(node, "a date part that is not a constant ('day', 'week', 'month', …)", "write the part as a string constant");
        }

        /// <summary>regexp_replace replaces every match in Spark: DuckDB's 'g' flag is its default; other flags go inline in the pattern.</summary>
        private string RegexpReplace(JsonElement node, List<JsonElement> children, List<string> arguments)
        {
            if (arguments.Count == 3)
            {
                throw Refuse(node, "regexp_replace without the 'g' flag (DuckDB replaces the first match only, Spark every match)", "add 'g' if every match is meant, or use regexp_extract");
            }

            var flags = children[3].GetProperty("class").GetString() == "CONSTANT" ? children[3].GetProperty("value").GetProperty("value").GetString() ?? "" : null;
            if (flags is null || !flags.Contains('g', StringComparison.Ordinal) || flags.Replace("g", "", StringComparison.Ordinal).Replace("i", "", StringComparison.Ordinal).Length > 0)
            {
                throw Refuse(node, $"regexp_replace with the options {arguments[3]}", "use the 'g' option, with 'i' for a case-insensitive match");
            }

            var pattern = flags.Contains('i', StringComparison.Ordinal) ? $"concat('(?i)', {arguments[1]})" : arguments[1];
            return $"regexp_replace({arguments[0]}, {pattern}, {arguments[2]})";
        }
    }
}
