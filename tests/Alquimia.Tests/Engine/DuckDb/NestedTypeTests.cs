using System.Text.Json;
using Alquimia.Engine.DuckDb;

namespace Alquimia.Tests.Engine.DuckDb;

/// <summary>LIST, STRUCT, MAP, ARRAY and UNION columns, which read as JSON text.</summary>
public sealed class NestedTypeTests : IDisposable
{
    private readonly InMemoryDuckDb _db = new();

    [Theory]
    [InlineData("[1, NULL, 3]", "[1,null,3]")]
    [InlineData("[[1, 2], [], NULL, [NULL]]", "[[1,2],[],null,[null]]")]
    [InlineData("[]::INTEGER[]", "[]")]
    [InlineData("['a', NULL, 'a string longer than twelve bytes']", "[\"a\",null,\"a string longer than twelve bytes\"]")]
    [InlineData("{'a': 1, 'b': NULL, 'c': [1.5::DECIMAL(4,1)]}", "{\"a\":1,\"b\":null,\"c\":[1.5]}")]
    [InlineData("{'outer': {'inner': [[NULL]]}}", "{\"outer\":{\"inner\":[[null]]}}")]
    [InlineData("MAP {'k1': 1, 'k2': NULL}", "{\"k1\":1,\"k2\":null}")]
    [InlineData("MAP {1: [true], 2: []}", "{\"1\":[true],\"2\":[]}")]
    [InlineData("MAP {[1, 2]: 'a', [3]: 'b'}", "{\"[1,2]\":\"a\",\"[3]\":\"b\"}")]
    [InlineData("[1, NULL, 3]::INTEGER[3]", "[1,null,3]")]
    [InlineData("[[1, 2], [3, 4]]::INTEGER[2][2]", "[[1,2],[3,4]]")]
    [InlineData("[{'x': [1]}, NULL]", "[{\"x\":[1]},null]")]
    [InlineData("union_value(word := 'ação')", "\"ação\"")]
    public void NestedValue_ReadsAsJsonText_WithNullElements(string literal, string json) =>
        Assert.Equal(json, _db.Scalar<string>($"SELECT {literal}"));

    [Fact]
    public void NestedStrings_AreWrittenAsUnescapedUtf8_AsDuckDbsJsonDoes()
    {
        const string Literal = "['ação', 'São Paulo', 'say \"hi\"', 'a\tb']";

        var json = _db.Scalar<string>($"SELECT {Literal}");

        Assert.Equal("[\"ação\",\"São Paulo\",\"say \\\"hi\\\"\",\"a\\tb\"]", json);
        Assert.Equal(_db.Scalar<string>($"SELECT to_json({Literal})::VARCHAR"), json);
    }

    [Fact]
    public void NestedScalars_AreWrittenAsJsonNumbersOrStrings()
    {
        var json = _db.Scalar<string>(
            "SELECT {'d': DATE '1969-07-20', 'b': '\\xAA'::BLOB, 'u': 'a1b2c3d4-0000-4000-8000-000000000001'::UUID, 'n': 'NaN'::DOUBLE, "
            + "'t': TIMESTAMP '2001-01-01 10:00:00.5', 'h': 12345678901234567890::HUGEINT, 'm': -0.05::DECIMAL(4,2), 'f': false}");

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal("1969-07-20", root.GetProperty("d").GetString());
        Assert.Equal([0xAA], root.GetProperty("b").GetBytesFromBase64());
        Assert.Equal("a1b2c3d4-0000-4000-8000-000000000001", root.GetProperty("u").GetString());
        Assert.Equal("NaN", root.GetProperty("n").GetString());
        Assert.Equal("2001-01-01 10:00:00.5", root.GetProperty("t").GetString());
        Assert.Equal("12345678901234567890", root.GetProperty("h").GetRawText());
        Assert.Equal(-0.05m, root.GetProperty("m").GetDecimal());
        Assert.False(root.GetProperty("f").GetBoolean());
    }

    [Fact]
    public void NestedColumn_ReadsEveryRow_AcrossManyChunks()
    {
        using var command = _db.Connection.CreateCommand(
            "SELECT i, CASE WHEN i % 3 = 0 THEN NULL ELSE [i, NULL, i + 1] END, {'i': i, 's': repeat('x', (i % 20)::INTEGER)} FROM range(5000) t(i) ORDER BY i");
        using var reader = command.ExecuteReader();

        var rows = 0;
        while (reader.Read())
        {
            var i = reader.GetInt64(0);
            if (i % 3 == 0)
            {
                Assert.True(reader.IsDBNull(1));
            }
            else
            {
                Assert.Equal($"[{i},null,{i + 1}]", reader.GetString(1));
            }

            Assert.Equal($"{{\"i\":{i},\"s\":\"{new string('x', (int)(i % 20))}\"}}", reader.GetString(2));
            rows++;
        }

        Assert.Equal(5000, rows);
    }

    [Theory]
    [InlineData("INTEGER[]", "[1,null,3]")]
    [InlineData("INTEGER[][]", "[[1,2],[],null,[null]]")]
    [InlineData("STRUCT(a INTEGER, b VARCHAR)", "{\"a\":1,\"b\":\"São Paulo\"}")]
    [InlineData("STRUCT(a INTEGER, b VARCHAR)", "{\"a\":null,\"b\":null}")]
    [InlineData("INTEGER[3]", "[1,null,3]")]
    public void NestedValue_RoundTrips_AsJsonTextCastInSql(string type, string json)
    {
        _db.Execute($"CREATE TABLE nested (v {type})");
        _db.Execute("INSERT INTO nested VALUES ($1::VARCHAR::" + type + "), (NULL)", json);

        var rows = _db.Rows("SELECT v FROM nested");

        Assert.Equal(json, rows[0][0]);
        Assert.Equal(DBNull.Value, rows[1][0]);
        // Reading it again from the text we read gives the same value: the JSON is DuckDB-castable.
        Assert.Equal(json, _db.Scalar<string>($"SELECT $1::VARCHAR::{type}", (string)rows[0][0]));
    }

    [Fact]
    public void Map_RoundTrips_AsJsonTextThroughFromJson()
    {
        _db.Execute("CREATE TABLE nested (v MAP(VARCHAR, INTEGER))");
        const string Json = "{\"k1\":1,\"ação\":null}";

        _db.Execute("INSERT INTO nested VALUES (from_json($1, '\"MAP(VARCHAR, INTEGER)\"'))", Json);

        Assert.Equal(Json, _db.Scalar<string>("SELECT v FROM nested"));
    }

    [Fact]
    public void Appender_AcceptsNullInNestedColumns_AndRefusesValues_NamingTheColumn()
    {
        _db.Execute("CREATE TABLE nested (id INTEGER, tags VARCHAR[], point STRUCT(x DOUBLE))");
        using (var appender = _db.Connection.CreateAppender("nested"))
        {
            appender.CreateRow().Append(1).AppendNull().AppendNull().EndRow();
            var error = Assert.Throws<InvalidCastException>(() => appender.CreateRow().Append(2).Append("[\"a\"]"));
            Assert.Contains("'tags' is VARCHAR[]", error.Message, StringComparison.Ordinal);
        }

        var row = Assert.Single(_db.Rows("SELECT id, tags, point FROM nested"));
        Assert.Equal<object>([1, DBNull.Value, DBNull.Value], row);
    }

    public void Dispose() => _db.Dispose();
}
