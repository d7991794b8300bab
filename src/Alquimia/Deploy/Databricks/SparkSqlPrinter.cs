using System.Globalization;
using System.Text;
using System.Text.Json;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Deploy.Databricks;

/// <summary>
/// A model's SELECT in Databricks' Spark SQL, printed from DuckDB's own parse tree of it (<c>json_serialize_sql</c>),
/// never by editing its text: every construct is either printed in its Spark form (the table in docs/databricks.md) or
/// refused with the model, the line, the construct and the fix.
/// </summary>
public sealed partial class SparkSqlPrinter
{
    private readonly CheckedConnection _connection;

    /// <param name="connection">A DuckDB connection (an in-memory one does): only its parser is used.</param>
    public SparkSqlPrinter(CheckedConnection connection)
    {
        _connection = connection;
    }

    /// <summary>The Spark SQL of <paramref name="sql"/>, one SELECT, from the model <paramref name="model"/>.</summary>
    /// <exception cref="UnportableSqlException">A construct has no Spark form; the message says where and what to do.</exception>
    public string Print(string sql, string model)
    {
        var json = _connection.Scalar<string>("SELECT json_serialize_sql(CAST($1 AS VARCHAR))", default, sql)!;
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.GetProperty("error").GetBoolean())
        {
            throw new AlquimiaException($"{model}: DuckDB cannot parse its SQL ({(root.TryGetProperty("error_message", out var message) ? message.GetString() : "no reason given")}): fix the model first; `alquimia test` shows where.");
        }

        var statements = root.GetProperty("statements");
        if (statements.GetArrayLength() != 1)
        {
            throw new UnportableSqlException(model, 0, $"{statements.GetArrayLength()} statements", "a model is one SELECT");
        }

        return new Printing(sql, model).Query(statements[0].GetProperty("node"));
    }

    /// <summary>
    /// A condition of the model's front matter (a <c>window</c>, an expectation) in Spark SQL: printed as the WHERE of a
    /// query over the model's table, from DuckDB's parse of that query.
    /// </summary>
    public string PrintCondition(string condition, string model)
    {
        var printed = Print($"SELECT 1 FROM alquimia_condition WHERE ({condition})", model);
        const string Where = "\nWHERE ";
        return printed[(printed.IndexOf(Where, StringComparison.Ordinal) + Where.Length)..];
    }

    /// <summary>A DuckDB type as DuckDB spells it in its catalog (<c>TIMESTAMP</c>, <c>DECIMAL(18,2)</c>) in Spark SQL.</summary>
    public string PrintType(string duckDbType, string model)
    {
        var printed = Print($"SELECT CAST(NULL AS {duckDbType})", model);
        const string Cast = "CAST(NULL AS ";
        var start = printed.IndexOf(Cast, StringComparison.Ordinal) + Cast.Length;
        return printed[start..printed.LastIndexOf(')')];
    }

    /// <summary>One model's printing: its text, for the lines of what it refuses.</summary>
    private sealed partial class Printing(string sql, string model)
    {
        private int _qualifyColumns;

        public string Query(JsonElement node) => node.GetProperty("type").GetString() switch
        {
            "SELECT_NODE" => Select(node),
            "SET_OPERATION_NODE" => SetOperation(node),
            var other => throw Refuse(node, $"a {other}", "write the model as a SELECT"),
        };

        private string SetOperation(JsonElement node)
        {
            var all = node.TryGetProperty("setop_all", out var flag) && flag.GetBoolean();
            var operation = node.GetProperty("setop_type").GetString() switch
            {
                "UNION" => "UNION",
                "EXCEPT" => "EXCEPT",
                "INTERSECT" => "INTERSECT",
                "UNION_BY_NAME" => throw Refuse(node, "UNION BY NAME", "list the columns in the same order on both sides and use UNION"),
                var other => throw Refuse(node, other ?? "a set operation", "use UNION, EXCEPT or INTERSECT"),
            };
            var text = $"{Ctes(node)}{Query(node.GetProperty("left"))}\n{operation}{(all ? " ALL" : "")}\n{Query(node.GetProperty("right"))}";
            return text + Modifiers(node);
        }

        private string Select(JsonElement node)
        {
            if (node.TryGetProperty("sample", out var sample) && sample.ValueKind != JsonValueKind.Null)
            {
                throw Refuse(node, "USING SAMPLE", "sample in a view of your own, or remove it: a deployed model builds from every row");
            }

            var distinct = Modifier(node, "DISTINCT_MODIFIER") is { } distinctModifier
                ? distinctModifier.TryGetProperty("distinct_on_targets", out var on) && on.GetArrayLength() > 0
                    ? throw Refuse(node, "DISTINCT ON", "use row_number() OVER (PARTITION BY …) in a QUALIFY")
                    : "DISTINCT "
                : "";
            var items = node.GetProperty("select_list").EnumerateArray().Select(SelectItem).ToList();
            var qualify = node.TryGetProperty("qualify", out var condition) && condition.ValueKind != JsonValueKind.Null
                ? Qualify(node, condition, items)
                : null;
            var from = node.TryGetProperty("from_table", out var table) && table.GetProperty("type").GetString() != "EMPTY" ? $"\nFROM {TableRef(table)}" : "";
            var where = Clause(node, "where_clause", "WHERE");
            var groupBy = GroupBy(node);
            var having = Clause(node, "having", "HAVING");
            var select = qualify is null
                ? $"SELECT {distinct}{string.Join(",\n       ", items)}{from}{where}{groupBy}{having}"
                // QUALIFY filters before DISTINCT, so DISTINCT goes to the outer SELECT, after the filter.
                : $"SELECT {distinct}{string.Join(", ", qualify.Value.Columns.Select(Identifier))}\nFROM (\nSELECT {string.Join(",\n       ", items)}{from}{where}{groupBy}{having}\n) AS __alquimia_qualified\nWHERE {qualify.Value.Condition}";
            return Ctes(node) + select + Modifiers(node);
        }

        /// <summary>
        /// QUALIFY, which Spark's grammar lacks, as a filter on a subquery: each window of its condition is added to the
        /// select list under a name of its own, and the condition compares those names outside, where the outer SELECT
        /// lists the model's columns by name.
        /// </summary>
        private (IReadOnlyList<string> Columns, string Condition)? Qualify(JsonElement node, JsonElement qualify, List<string> items)
        {
            var columns = node.GetProperty("select_list").EnumerateArray().Select(item => OutputName(item)
                ?? throw Refuse(item, "a QUALIFY over an unnamed column", "name every column of the SELECT (AS name), or select its columns by name rather than *")).ToList();
            var condition = Expression(qualify, window =>
            {
                var name = $"__alquimia_qualify_{++_qualifyColumns}";
                items.Add($"{Expression(window)} AS {name}");
                return name;
            });
            return (columns, condition);
        }

        private static string? OutputName(JsonElement item)
        {
            if (item.TryGetProperty("alias", out var alias) && alias.GetString() is { Length: > 0 } name)
            {
                return name;
            }

            return item.GetProperty("class").GetString() == "COLUMN_REF" ? item.GetProperty("column_names").EnumerateArray().Last().GetString() : null;
        }

        private string Ctes(JsonElement node)
        {
            if (!node.TryGetProperty("cte_map", out var map) || !map.TryGetProperty("map", out var entries) || entries.GetArrayLength() == 0)
            {
                return "";
            }

            var ctes = entries.EnumerateArray().Select(entry =>
            {
                var value = entry.GetProperty("value");
                var aliases = value.GetProperty("aliases").EnumerateArray().Select(alias => Identifier(alias.GetString()!)).ToList();
                return $"{Identifier(entry.GetProperty("key").GetString()!)}{(aliases.Count > 0 ? $" ({string.Join(", ", aliases)})" : "")} AS (\n{Query(value.GetProperty("query").GetProperty("node"))}\n)";
            });
            return $"WITH {string.Join(",\n", ctes)}\n";
        }

        private string SelectItem(JsonElement item)
        {
            var text = Expression(item);
            return item.TryGetProperty("alias", out var alias) && alias.GetString() is { Length: > 0 } name ? $"{text} AS {Identifier(name)}" : text;
        }

        private string Clause(JsonElement node, string property, string keyword) =>
            node.TryGetProperty(property, out var clause) && clause.ValueKind != JsonValueKind.Null ? $"\n{keyword} {Expression(clause)}" : "";

        private string GroupBy(JsonElement node)
        {
            var groups = node.GetProperty("group_expressions").EnumerateArray().ToList();
            if (groups.Count > 0)
            {
                if (node.GetProperty("group_sets").GetArrayLength() > 1)
                {
                    throw Refuse(node, "GROUPING SETS, ROLLUP or CUBE", "write one GROUP BY per grouping and UNION ALL them");
                }

                return $"\nGROUP BY {string.Join(", ", groups.Select(group => Expression(group)))}";
            }

            // GROUP BY ALL arrives as no groups with aggregates forced; Databricks takes GROUP BY ALL as written.
            return node.GetProperty("aggregate_handling").GetString() == "FORCE_AGGREGATES" ? "\nGROUP BY ALL" : "";
        }

        private static JsonElement? Modifier(JsonElement node, string type) =>
            node.TryGetProperty("modifiers", out var modifiers)
                ? modifiers.EnumerateArray().Where(modifier => modifier.GetProperty("type").GetString() == type).Select(modifier => (JsonElement?)modifier).FirstOrDefault()
                : null;

        private string Modifiers(JsonElement node)
        {
            var text = new StringBuilder();
            if (Modifier(node, "ORDER_MODIFIER") is { } order)
            {
                text.Append("\nORDER BY ").Append(string.Join(", ", order.GetProperty("orders").EnumerateArray().Select(OrderTerm)));
            }

            if (Modifier(node, "LIMIT_MODIFIER") is { } limit)
            {
                if (limit.TryGetProperty("limit", out var count) && count.ValueKind != JsonValueKind.Null)
                {
                    text.Append("\nLIMIT ").Append(Expression(count));
                }

                if (limit.TryGetProperty("offset", out var offset) && offset.ValueKind != JsonValueKind.Null)
                {
                    text.Append("\nOFFSET ").Append(Expression(offset));
                }
            }

            if (Modifier(node, "LIMIT_PERCENT_MODIFIER") is { } percent)
            {
                throw Refuse(percent, "LIMIT … PERCENT", "limit by a count of rows");
            }

            return text.ToString();
        }

        /// <summary>An ORDER BY term with its NULLs placed as DuckDB places them (last, either way), which Spark does not by default.</summary>
        private string OrderTerm(JsonElement order)
        {
            var descending = order.GetProperty("type").GetString() == "DESCENDING";
            var nulls = order.GetProperty("null_order").GetString() switch
            {
                "NULLS_FIRST" => "NULLS FIRST",
                _ => "NULLS LAST",
            };
            return $"{Expression(order.GetProperty("expression"))}{(descending ? " DESC" : "")} {nulls}";
        }

        private string TableRef(JsonElement table)
        {
            var alias = table.TryGetProperty("alias", out var name) && name.GetString() is { Length: > 0 } text ? $" AS {Identifier(text)}" : "";
            switch (table.GetProperty("type").GetString())
            {
                case "BASE_TABLE":
                    if (table.TryGetProperty("at_clause", out var at) && at.ValueKind != JsonValueKind.Null)
                    {
                        throw Refuse(table, "AT (time travel)", "read the table as it is; Delta's time travel is a query of its own");
                    }

                    var schema = table.GetProperty("schema_name").GetString();
                    var relation = Identifier(table.GetProperty("table_name").GetString()!);
                    return (string.IsNullOrEmpty(schema) ? relation : $"{Identifier(schema)}.{relation}") + alias;
                case "JOIN":
                    return Join(table);
                case "SUBQUERY":
                    return $"(\n{Query(table.GetProperty("subquery").GetProperty("node"))}\n){alias}";
                case var other:
                    throw Refuse(table, $"a {other} in FROM", "read tables of the project (layer.name) or subqueries");
            }
        }

        private string Join(JsonElement join)
        {
            var left = TableRef(join.GetProperty("left"));
            var right = TableRef(join.GetProperty("right"));
            var refType = join.GetProperty("ref_type").GetString();
            if (refType == "CROSS")
            {
                return $"{left}\nCROSS JOIN {right}";
            }

            if (refType is not "REGULAR")
            {
                throw Refuse(join, $"a {refType} JOIN", "write the join with ON and its condition");
            }

            var kind = join.GetProperty("join_type").GetString() switch
            {
                "INNER" => "JOIN",
                "LEFT" => "LEFT JOIN",
                "RIGHT" => "RIGHT JOIN",
                "OUTER" => "FULL OUTER JOIN",
                "SEMI" => "LEFT SEMI JOIN",
                "ANTI" => "LEFT ANTI JOIN",
                var other => throw Refuse(join, $"a {other} join", "use INNER, LEFT, RIGHT, FULL, SEMI or ANTI"),
            };
            var usingColumns = join.GetProperty("using_columns").EnumerateArray().Select(column => Identifier(column.GetString()!)).ToList();
            var condition = usingColumns.Count > 0 ? $" USING ({string.Join(", ", usingColumns)})" : $" ON {Expression(join.GetProperty("condition"))}";
            return $"{left}\n{kind} {right}{condition}";
        }

        public string Expression(JsonElement node) => Expression(node, null);

        private string Expression(JsonElement node, Func<JsonElement, string>? window)
        {
            string Child(JsonElement child) => Expression(child, window);
            switch (node.GetProperty("class").GetString())
            {
                case "COLUMN_REF":
                    return string.Join('.', node.GetProperty("column_names").EnumerateArray().Select(part => Identifier(part.GetString()!)));
                case "CONSTANT":
                    return Constant(node, node.GetProperty("value"));
                case "CAST":
                    var type = SparkType(node, node.GetProperty("cast_type"));
                    return $"{(node.GetProperty("try_cast").GetBoolean() ? "try_cast" : "CAST")}({Child(node.GetProperty("child"))} AS {type})";
                case "COMPARISON":
                    return $"{Child(node.GetProperty("left"))} {ComparisonOperator(node)} {Child(node.GetProperty("right"))}";
                case "CONJUNCTION":
                    var word = node.GetProperty("type").GetString() == "CONJUNCTION_AND" ? " AND " : " OR ";
                    return "(" + string.Join(word, node.GetProperty("children").EnumerateArray().Select(Child)) + ")";
                case "OPERATOR":
                    return Operator(node, Child);
                case "CASE":
                    var checks = node.GetProperty("case_checks").EnumerateArray().Select(check => $" WHEN {Child(check.GetProperty("when_expr"))} THEN {Child(check.GetProperty("then_expr"))}");
                    var otherwise = node.GetProperty("else_expr");
                    var elseText = otherwise.GetProperty("class").GetString() == "CONSTANT" && otherwise.GetProperty("value").GetProperty("is_null").GetBoolean() ? "" : $" ELSE {Child(otherwise)}";
                    return $"CASE{string.Concat(checks)}{elseText} END";
                case "BETWEEN":
                    return $"{Child(node.GetProperty("input"))} BETWEEN {Child(node.GetProperty("lower"))} AND {Child(node.GetProperty("upper"))}";
                case "SUBQUERY":
                    return Subquery(node, Child);
                case "STAR":
                    return Star(node);
                case "WINDOW" when window is not null:
                    return window(node);
                case "WINDOW":
                    return Window(node);
                case "FUNCTION":
                    return Function(node, Child);
                case "PARAMETER":
                    throw Refuse(node, "a prepared-statement parameter", "use run_date() or a literal");
                case var other:
                    throw Refuse(node, $"a {other} expression", "write it with SQL that both DuckDB and Spark read (docs/databricks.md lists what maps)");
            }
        }

        private string ComparisonOperator(JsonElement node) => node.GetProperty("type").GetString() switch
        {
            "COMPARE_EQUAL" => "=",
            "COMPARE_NOTEQUAL" => "<>",
            "COMPARE_LESSTHAN" => "<",
            "COMPARE_GREATERTHAN" => ">",
            "COMPARE_LESSTHANOREQUALTO" => "<=",
            "COMPARE_GREATERTHANOREQUALTO" => ">=",
            "COMPARE_NOT_DISTINCT_FROM" => "<=>",
            "COMPARE_DISTINCT_FROM" => throw Refuse(node, "IS DISTINCT FROM", "write NOT (a <=> b)"),
            var other => throw Refuse(node, other ?? "a comparison", "use =, <>, <, >, <=, >="),
        };

        private string Operator(JsonElement node, Func<JsonElement, string> child)
        {
            var children = node.GetProperty("children").EnumerateArray().ToList();
            return node.GetProperty("type").GetString() switch
            {
                "OPERATOR_COALESCE" => $"coalesce({string.Join(", ", children.Select(child))})",
                "OPERATOR_NOT" => $"NOT ({child(children[0])})",
                "OPERATOR_IS_NULL" => $"{child(children[0])} IS NULL",
                "OPERATOR_IS_NOT_NULL" => $"{child(children[0])} IS NOT NULL",
                "COMPARE_IN" => $"{child(children[0])} IN ({string.Join(", ", children.Skip(1).Select(child))})",
                "COMPARE_NOT_IN" => $"{child(children[0])} NOT IN ({string.Join(", ", children.Skip(1).Select(child))})",
                var other => throw Refuse(node, $"the operator {other}", "write it with functions Spark has (docs/databricks.md)"),
            };
        }

        private string Subquery(JsonElement node, Func<JsonElement, string> child)
        {
            var query = Query(node.GetProperty("subquery").GetProperty("node"));
            return node.GetProperty("subquery_type").GetString() switch
            {
                "SCALAR" => $"(\n{query}\n)",
                "EXISTS" => $"EXISTS (\n{query}\n)",
                "NOT_EXISTS" => $"NOT EXISTS (\n{query}\n)",
                "ANY" when node.GetProperty("comparison_type").GetString() == "COMPARE_EQUAL" => $"{Tuple(node.GetProperty("child"), child)} IN (\n{Unpacked(node, query)}\n)",
                var other => throw Refuse(node, $"a {other} subquery", "use IN (SELECT …), EXISTS or a scalar subquery"),
            };
        }

        /// <summary>
        /// The subquery of <c>(a, b) IN (SELECT (a, b) …)</c>, where DuckDB compares a row with one struct column, with
        /// that column's fields as its columns: Spark compares a tuple with as many columns.
        /// </summary>
        private string Unpacked(JsonElement node, string query)
        {
            var left = node.GetProperty("child");
            var selected = node.GetProperty("subquery").GetProperty("node");
            if (!IsRow(left) || !selected.TryGetProperty("select_list", out var list) || list.GetArrayLength() != 1 || !IsRow(list[0]))
            {
                return query;
            }

            var row = Expression(list[0]);
            var start = query.IndexOf(row, StringComparison.Ordinal);
            return start is 7 or 16 && query.StartsWith("SELECT ", StringComparison.Ordinal)
                ? query[..start] + row["struct(".Length..^1] + query[(start + row.Length)..]
                : throw Refuse(node, "a row compared with a subquery's row", "select the columns themselves: (a, b) IN (SELECT a, b …)");
        }

        private static bool IsRow(JsonElement node) =>
            node.GetProperty("class").GetString() == "FUNCTION" && node.GetProperty("function_name").GetString() == "row";

        /// <summary>The left side of IN: a row <c>(a, b)</c> stays a tuple, as Spark compares it with the subquery's columns.</summary>
        private static string Tuple(JsonElement left, Func<JsonElement, string> child) =>
            left.GetProperty("class").GetString() == "FUNCTION" && left.GetProperty("function_name").GetString() == "row"
                ? $"({string.Join(", ", left.GetProperty("children").EnumerateArray().Select(child))})"
                : child(left);

        private string Star(JsonElement node)
        {
            foreach (var modifier in new[] { "exclude_list", "replace_list", "rename_list" })
            {
                if (node.TryGetProperty(modifier, out var list) && list.ValueKind == JsonValueKind.Array && list.GetArrayLength() > 0)
                {
                    throw Refuse(node, $"* {modifier.Split('_')[0].ToUpperInvariant()}", "list the columns to select");
                }
            }

            if (node.TryGetProperty("columns", out var columns) && columns.ValueKind == JsonValueKind.True)
            {
                throw Refuse(node, "COLUMNS(…)", "list the columns");
            }

            return node.TryGetProperty("relation_name", out var relation) && relation.GetString() is { Length: > 0 } name ? $"{Identifier(name)}.*" : "*";
        }

        private string Window(JsonElement node)
        {
            var name = node.GetProperty("function_name").GetString()!;
            var arguments = node.GetProperty("children").EnumerateArray().Select(Expression).ToList();
            if (node.TryGetProperty("ignore_nulls", out var ignore) && ignore.GetBoolean())
            {
                throw Refuse(node, "IGNORE NULLS", "filter the NULLs out in a subquery");
            }

            var function = name switch
            {
                "count_star" => "count(*)",
                _ => $"{FunctionName(node, name)}({string.Join(", ", arguments)})",
            };
            var over = new List<string>();
            var partitions = node.GetProperty("partitions").EnumerateArray().Select(Expression).ToList();
            if (partitions.Count > 0)
            {
                over.Add("PARTITION BY " + string.Join(", ", partitions));
            }

            var orders = node.GetProperty("orders").EnumerateArray().Select(OrderTerm).ToList();
            if (orders.Count > 0)
            {
                over.Add("ORDER BY " + string.Join(", ", orders));
            }

            var (start, end) = (node.GetProperty("start").GetString(), node.GetProperty("end").GetString());
            if ((start, end) is not ("UNBOUNDED_PRECEDING", "CURRENT_ROW_RANGE"))
            {
                over.Add(Frame(node, start!, end!));
            }

            return $"{function} OVER ({string.Join(" ", over)})";
        }

        private string Frame(JsonElement node, string start, string end)
        {
            var rows = start.EndsWith("_ROWS", StringComparison.Ordinal) || end.EndsWith("_ROWS", StringComparison.Ordinal) || start == "UNBOUNDED_PRECEDING" && end == "UNBOUNDED_FOLLOWING";
            string Bound(string bound, string offsetProperty) => bound switch
            {
                "UNBOUNDED_PRECEDING" => "UNBOUNDED PRECEDING",
                "UNBOUNDED_FOLLOWING" => "UNBOUNDED FOLLOWING",
                "CURRENT_ROW_ROWS" or "CURRENT_ROW_RANGE" => "CURRENT ROW",
                "EXPR_PRECEDING_ROWS" or "EXPR_PRECEDING_RANGE" => $"{Expression(node.GetProperty(offsetProperty))} PRECEDING",
                "EXPR_FOLLOWING_ROWS" or "EXPR_FOLLOWING_RANGE" => $"{Expression(node.GetProperty(offsetProperty))} FOLLOWING",
                _ => throw Refuse(node, $"the window frame bound {bound}", "use ROWS or RANGE BETWEEN … PRECEDING/FOLLOWING"),
            };
            return $"{(rows ? "ROWS" : "RANGE")} BETWEEN {Bound(start, "start_expr")} AND {Bound(end, "end_expr")}";
        }

        private string Constant(JsonElement node, JsonElement value)
        {
            if (value.GetProperty("is_null").GetBoolean())
            {
                return "NULL";
            }

            var id = value.GetProperty("type").GetProperty("id").GetString();
            var raw = value.GetProperty("value");
            return id switch
            {
                "VARCHAR" => StringLiteral(raw.GetString()!),
                "INTEGER" or "BIGINT" or "SMALLINT" or "TINYINT" => raw.GetRawText(),
                "HUGEINT" => $"CAST({raw.GetRawText().Trim('"')} AS DECIMAL(38, 0))",
                "BOOLEAN" => raw.GetBoolean() ? "true" : "false",
                "DECIMAL" => DecimalText(value),
                "DOUBLE" or "FLOAT" => raw.GetRawText() + "D",
                _ => throw Refuse(node, $"a {id} constant", "write it as a string cast to its type, e.g. CAST('2026-01-01' AS DATE)"),
            };
        }

        /// <summary>A DECIMAL constant: DuckDB keeps its digits as an integer and its scale apart (100.0 is 1000 at scale 1).</summary>
        private static string DecimalText(JsonElement value)
        {
            var scale = value.GetProperty("type").GetProperty("type_info").GetProperty("scale").GetInt32();
            var digits = value.GetProperty("value").GetRawText().Trim('"');
            var negative = digits.StartsWith('-');
            digits = digits.TrimStart('-').PadLeft(scale + 1, '0');
            var text = scale == 0 ? digits : $"{digits[..^scale]}.{digits[^scale..]}";
            return (negative ? "-" : "") + text + "BD";
        }

        private string SparkType(JsonElement node, JsonElement type)
        {
            var id = type.GetProperty("id").GetString();
            return id switch
            {
                "BIGINT" => "BIGINT",
                "INTEGER" => "INT",
                "SMALLINT" => "SMALLINT",
                "TINYINT" => "TINYINT",
                "BOOLEAN" => "BOOLEAN",
                "DATE" => "DATE",
                // DuckDB's TIMESTAMP has no zone; Spark's TIMESTAMP is the session's local time: TIMESTAMP_NTZ is DuckDB's.
                "TIMESTAMP" => "TIMESTAMP_NTZ",
                "TIMESTAMP WITH TIME ZONE" or "TIMESTAMP_TZ" => "TIMESTAMP",
                "VARCHAR" => "STRING",
                "DOUBLE" => "DOUBLE",
                "FLOAT" => "FLOAT",
                "HUGEINT" => "DECIMAL(38, 0)",
                "DECIMAL" when type.GetProperty("type_info") is { ValueKind: JsonValueKind.Object } info =>
                    $"DECIMAL({info.GetProperty("width").GetInt32()}, {info.GetProperty("scale").GetInt32()})",
                _ => throw Refuse(node, $"a cast to {id}", "cast to a type both engines have: BIGINT, INT, DECIMAL(p, s), DOUBLE, BOOLEAN, DATE, TIMESTAMP, VARCHAR"),
            };
        }

        private UnportableSqlException Refuse(JsonElement node, string construct, string fix) =>
            new(model, LineOf(node), construct, fix);

        /// <summary>The 1-based line of a node's byte offset in the model's SQL; 0 when DuckDB recorded none.</summary>
        private int LineOf(JsonElement node)
        {
            if (!node.TryGetProperty("query_location", out var location) || !location.TryGetUInt64(out var offset) || offset == ulong.MaxValue)
            {
                return 0;
            }

            var bytes = Encoding.UTF8.GetBytes(sql);
            var end = (int)Math.Min(offset, (ulong)bytes.Length);
            return 1 + bytes.AsSpan(0, end).Count((byte)'\n');
        }

    }

    /// <summary>A Spark string literal: Spark reads backslashes as escapes, so each is doubled, and quotes are escaped.</summary>
    public static string StringLiteral(string text) => "'" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    /// <summary>An identifier, quoted with backticks only when it must be.</summary>
    public static string Identifier(string name) => PlainIdentifier().IsMatch(name) && !ReservedWords.Contains(name) ? name : "`" + name.Replace("`", "``", StringComparison.Ordinal) + "`";

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial System.Text.RegularExpressions.Regex PlainIdentifier();

    /// <summary>Words Spark's ANSI mode reserves: an identifier spelled as one is quoted.</summary>
    private static readonly HashSet<string> ReservedWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "all", "and", "any", "as", "both", "case", "cast", "check", "collate", "column", "constraint", "create", "cross", "current_date", "current_time",
        "current_timestamp", "current_user", "distinct", "else", "end", "except", "false", "fetch", "for", "foreign", "from", "full", "grant", "group", "having",
        "in", "inner", "intersect", "into", "is", "join", "lateral", "leading", "left", "natural", "not", "null", "offset", "on", "only", "or", "order", "outer",
        "overlaps", "primary", "references", "right", "select", "session_user", "some", "table", "then", "time", "to", "trailing", "union", "unique", "unknown",
        "user", "using", "when", "where", "with",
    };
}

/// <summary>A model's SQL holds a construct with no Spark form: the deploy stops, naming the model, the line, the construct and the fix.</summary>
public sealed class UnportableSqlException(string model, int line, string construct, string fix)
    : AlquimiaException($"{model}{(line > 0 ? $", line {line}" : "")}: {construct} has no Spark SQL form. {Capitalized(fix)}, or write models/…/{model.Split('.')[^1]}.databricks.sql beside the model with the Databricks SELECT.")
{
    public string Model { get; } = model;

    public int Line { get; } = line;

    public string Construct { get; } = construct;

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
