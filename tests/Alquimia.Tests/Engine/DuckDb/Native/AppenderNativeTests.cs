using Alquimia.Engine.DuckDb.Native;
using static Alquimia.Engine.DuckDb.Native.NativeMethods;

namespace Alquimia.Tests.Engine.DuckDb.Native;

/// <summary>
/// The C API calls the appender makes besides appending (<c>NativeMethodsTests</c> covers those): the table
/// description that names its columns, and clearing the rows DuckDB holds.
/// </summary>
public sealed class AppenderNativeTests : IDisposable
{
    private readonly DuckDbDatabaseHandle _database;
    private readonly DuckDbConnectionHandle _connection;

    public AppenderNativeTests()
    {
        DuckDbNativeLibrary.EnsureLoaded();
        Assert.Equal(State.Success, Startup.CreateConfig(out var config));
        using (config)
        {
            Assert.Equal(State.Success, Startup.OpenExt(":memory:", out _database, config, out var error));
            Assert.Null(error);
        }

        Assert.Equal(State.Success, Startup.Connect(_database, out _connection));
        Run("CREATE SCHEMA bronze; CREATE TABLE bronze.chamado (id INTEGER, aberto_em TIMESTAMP, \"Status Atual\" VARCHAR)");
    }

    [Fact]
    public void TableDescription_NamesTheColumns_InOrder()
    {
        Assert.Equal(State.Success, TableDescription.Create(_connection, "bronze", "chamado", out var description));
        using (description)
        {
            Assert.False(description.IsInvalid);
            Assert.Null(TableDescription.Error(description));
            Assert.Equal(3UL, TableDescription.GetColumnCount(description));
            Assert.Equal(["id", "aberto_em", "Status Atual"], Enumerable.Range(0, 3).Select(i => TableDescription.GetColumnName(description, (ulong)i)));
            Assert.Null(TableDescription.GetColumnName(description, 3));
            Assert.Contains("out of range", TableDescription.Error(description), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TableDescription_OfAMissingTable_FailsWithAMessage_AndIsStillDestroyed()
    {
        Assert.Equal(State.Error, TableDescription.Create(_connection, null, "chamado", out var description));
        using (description)
        {
            Assert.False(description.IsInvalid);
            Assert.False(string.IsNullOrEmpty(TableDescription.Error(description)));
        }

        Assert.True(description.IsClosed);
    }

    [Fact]
    public void AppenderClear_DropsTheRowsDuckDbHolds_SoClosingWritesNone()
    {
        Assert.Equal(State.Success, Appender.Create(_connection, "bronze", "chamado", out var appender));
        using (appender)
        {
            using (var chunk = NullRowsChunk(appender, rows: 3))
            {
                Assert.Equal(State.Success, Appender.AppendDataChunk(appender, chunk));
            }

            Assert.Equal(State.Success, Appender.Clear(appender));
            Assert.Equal(State.Success, Appender.Close(appender));
        }

        Assert.Equal(0L, Count("bronze.chamado"));
    }

    public void Dispose()
    {
        _connection.Dispose();
        _database.Dispose();
    }

    /// <summary>A chunk of the appender's column types, of NULL rows.</summary>
    private static unsafe DuckDbDataChunkHandle NullRowsChunk(DuckDbAppenderHandle appender, ulong rows)
    {
        var count = (int)Appender.ColumnCount(appender);
        var types = Enumerable.Range(0, count).Select(i => Appender.ColumnType(appender, (ulong)i)).ToArray();
        var pointers = stackalloc nint[count];
        for (var i = 0; i < count; i++)
        {
            pointers[i] = types[i].DangerousGetHandle();
        }

        var chunk = DataChunks.Create(pointers, (ulong)count);
        foreach (var type in types)
        {
            type.Dispose();
        }

        for (var i = 0; i < count; i++)
        {
            var vector = DataChunks.GetVector(chunk, (ulong)i);
            Vectors.EnsureValidityWritable(vector);
            var validity = Vectors.GetValidity(vector);
            validity[0] = 0; // rows 0 to 63 are NULL
        }

        DataChunks.SetSize(chunk, rows);
        return chunk;
    }

    private unsafe void Run(string sql)
    {
        using var result = new DuckDbResultHandle();
        Assert.Equal(State.Success, Query.Run(_connection, sql, result.Pointer));
    }

    private unsafe long Count(string table)
    {
        using var result = new DuckDbResultHandle();
        Assert.Equal(State.Success, Query.Run(_connection, $"SELECT count(*) FROM {table}", result.Pointer));
        using var chunk = Query.FetchChunk(result.Value);
        return *(long*)Vectors.GetData(DataChunks.GetVector(chunk, 0));
    }
}
