using System.Text;
using Alquimia.Engine.DuckDb;
using Alquimia.Engine.DuckDb.Native;
using Alquimia.Engine.DuckDb.Reading;
using static Alquimia.Engine.DuckDb.Native.NativeMethods;

namespace Alquimia.Tests.Engine.DuckDb.Native;

/// <summary>
/// The C API called directly through <see cref="NativeMethods"/>: each call returns success and valid handles, and
/// the data is where the binding expects it. <c>ConnectionTests</c> walks the same path through ADO.NET.
/// </summary>
public sealed unsafe class NativeMethodsTests : IDisposable
{
    private readonly DuckDbDatabaseHandle _database;
    private readonly DuckDbConnectionHandle _connection;

    public NativeMethodsTests()
    {
        DuckDbNativeLibrary.EnsureLoaded();
        Assert.Equal(State.Success, Startup.CreateConfig(out var config));
        using (config)
        {
            Assert.False(config.IsInvalid);
            Assert.Equal(State.Success, Startup.SetConfig(config, "threads", "1"));
            Assert.Equal(State.Success, Startup.OpenExt(":memory:", out _database, config, out var error));
            Assert.Null(error);
        }

        Assert.False(_database.IsInvalid);
        Assert.Equal(State.Success, Startup.Connect(_database, out _connection));
        Assert.False(_connection.IsInvalid);
    }

    [Fact]
    public void LibraryVersion_IsThePinnedMajorAndMinor()
    {
        var pinned = string.Join('.', DuckDbNativeLibrary.ExpectedVersion.Split('.').Take(2));
        Assert.StartsWith($"v{pinned}.", Startup.LibraryVersion(), StringComparison.Ordinal);
        Assert.True(File.Exists(DuckDbNativeLibrary.LibraryPath));
    }

    [Fact]
    public void Query_RunsStatements_AndReportsWhatTheyReturn()
    {
        using (var created = Run("CREATE TABLE t (i INTEGER)"))
        {
            Assert.Equal(Query.ResultType.Nothing, Query.ResultReturnType(created.Value));
        }

        using (var inserted = Run("INSERT INTO t SELECT range FROM range(10)"))
        {
            Assert.Equal(Query.ResultType.ChangedRows, Query.ResultReturnType(inserted.Value));
            Assert.Equal(10UL, Query.RowsChanged(inserted.Pointer));
        }

        using var selected = Run("SELECT count(*) AS n FROM t");
        Assert.Equal(Query.ResultType.QueryResult, Query.ResultReturnType(selected.Value));
        Assert.Equal(1UL, Query.ColumnCount(selected.Pointer));
        Assert.Equal("n", Query.ColumnName(selected.Pointer, 0));
    }

    [Fact]
    public void FailedQuery_ReturnsErrorState_WithDuckDbsMessageAndType()
    {
        using var result = new DuckDbResultHandle();

        Assert.Equal(State.Error, Query.Run(_connection, "SELEC 1", result.Pointer));

        Assert.Contains("syntax error", Query.ResultError(result.Pointer), StringComparison.Ordinal);
        Assert.Equal(DuckDbErrorType.Parser, Query.ResultErrorType(result.Pointer));
    }

    [Fact]
    public void PrepareBindExecuteFetch_ReadsEveryRowFromTheChunksVectors()
    {
        Run("CREATE TABLE t AS SELECT range AS i, CASE WHEN range % 10 = 0 THEN NULL ELSE 'label number ' || range END AS s FROM range(5000)").Dispose();

        Assert.Equal(1UL, PreparedStatements.ExtractStatements(_connection, "SELECT i, s FROM t WHERE i < $1 AND s IS DISTINCT FROM $2 ORDER BY i", out var extracted));
        using (extracted)
        {
            Assert.Equal(State.Success, PreparedStatements.PrepareExtractedStatement(_connection, extracted, 0, out var statement));
            using (statement)
            {
                Assert.Equal(2UL, PreparedStatements.ParameterCount(statement));
                Assert.Equal("1", PreparedStatements.ParameterName(statement, 1));
                Assert.Equal(State.Success, PreparedStatements.ClearBindings(statement));
                Assert.Equal(State.Success, Bind.Int64(statement, 1, 4500));
                var excluded = "label number 7"u8.ToArray();
                fixed (byte* text = excluded)
                {
                    Assert.Equal(State.Success, Bind.VarcharLength(statement, 2, text, (ulong)excluded.Length));
                }

                using var result = new DuckDbResultHandle();
                ExecutePending(statement, result);
                using (var type = Query.ColumnLogicalType(result.Pointer, 0))
                {
                    Assert.Equal(DuckDbType.BigInt, LogicalTypes.GetTypeId(type));
                }

                var (rows, chunks, nulls, sum) = FetchAll(result);
                Assert.Equal(4499, rows);
                Assert.Equal(3, chunks);
                Assert.Equal(450, nulls);
                Assert.Equal((4499L * 4500 / 2) - (10L * 449 * 450 / 2) - 7, sum);
            }
        }
    }

    [Fact]
    public void NamedParameter_HasAnIndex_FoundByName()
    {
        Assert.Equal(1UL, PreparedStatements.ExtractStatements(_connection, "SELECT $answer + 0", out var extracted));
        using (extracted)
        {
            Assert.Equal(State.Success, PreparedStatements.PrepareExtractedStatement(_connection, extracted, 0, out var statement));
            using (statement)
            {
                Assert.Equal(State.Success, Bind.ParameterIndex(statement, out var index, "answer"));
                Assert.Equal(1UL, index);
                Assert.Equal("answer", PreparedStatements.ParameterName(statement, 1));
                Assert.Equal(State.Success, Bind.Int32(statement, index, 42));
                using var result = new DuckDbResultHandle();
                ExecutePending(statement, result);
                using var chunk = Query.FetchChunk(result.Value);
                Assert.Equal(42, *(int*)Vectors.GetData(DataChunks.GetVector(chunk, 0)));
            }
        }
    }

    [Fact]
    public void BadStatement_FailsToPrepare_WithAMessage()
    {
        Assert.Equal(1UL, PreparedStatements.ExtractStatements(_connection, "SELECT * FROM nowhere", out var extracted));
        using (extracted)
        {
            Assert.Equal(State.Error, PreparedStatements.PrepareExtractedStatement(_connection, extracted, 0, out var statement));
            using (statement)
            {
                Assert.Contains("nowhere", PreparedStatements.PrepareError(statement), StringComparison.Ordinal);
            }
        }

        Assert.Equal(0UL, PreparedStatements.ExtractStatements(_connection, "SELEC 1", out var broken));
        using (broken)
        {
            Assert.Contains("syntax error", PreparedStatements.ExtractStatementsError(broken), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void UuidValue_BindsAndReadsBack()
    {
        var uuid = Guid.Parse("a1b2c3d4-0000-4000-8000-000000000001");
        Assert.Equal(1UL, PreparedStatements.ExtractStatements(_connection, "SELECT $1::VARCHAR", out var extracted));
        using (extracted)
        {
            Assert.Equal(State.Success, PreparedStatements.PrepareExtractedStatement(_connection, extracted, 0, out var statement));
            using (statement)
            {
                using var value = Values.CreateUuid(new DuckDbUHugeInt(0x8000_0000_0000_0001, 0xa1b2c3d4_0000_4000));
                Assert.False(value.IsInvalid);
                Assert.Equal(State.Success, Bind.Value(statement, 1, value));
                using var result = new DuckDbResultHandle();
                ExecutePending(statement, result);
                using var chunk = Query.FetchChunk(result.Value);
                var text = Encoding.UTF8.GetString(DuckDbStringSlot.Bytes(Vectors.GetData(DataChunks.GetVector(chunk, 0)), 0));
                Assert.Equal(uuid.ToString(), text);
            }
        }
    }

    [Fact]
    public void Appender_AppendsAFilledDataChunk()
    {
        Run("CREATE TABLE target (n BIGINT, d DOUBLE)").Dispose();
        Assert.Equal(State.Success, Appender.Create(_connection, null, "target", out var appender));
        using (appender)
        {
            Assert.Equal(2UL, Appender.ColumnCount(appender));
            using var first = Appender.ColumnType(appender, 0);
            using var second = Appender.ColumnType(appender, 1);
            Assert.Equal(DuckDbType.BigInt, LogicalTypes.GetTypeId(first));
            Assert.Equal(DuckDbType.Double, LogicalTypes.GetTypeId(second));

            var types = stackalloc nint[] { first.DangerousGetHandle(), second.DangerousGetHandle() };
            using var chunk = DataChunks.Create(types, 2);
            Assert.False(chunk.IsInvalid);
            var numbers = (long*)Vectors.GetData(DataChunks.GetVector(chunk, 0));
            var doubles = DataChunks.GetVector(chunk, 1);
            var values = (double*)Vectors.GetData(doubles);
            for (var i = 0; i < 100; i++)
            {
                numbers[i] = i;
                values[i] = i / 2.0;
            }

            Vectors.EnsureValidityWritable(doubles);
            Vectors.GetValidity(doubles)[0] &= ~1UL;
            DataChunks.SetSize(chunk, 100);

            Assert.Equal(State.Success, Appender.AppendDataChunk(appender, chunk));
            Assert.Equal(State.Success, Appender.Close(appender));
        }

        using var check = Run("SELECT count(*), sum(n)::BIGINT, count(d), sum(d) FROM target");
        using var row = Query.FetchChunk(check.Value);
        Assert.Equal(100L, *(long*)Vectors.GetData(DataChunks.GetVector(row, 0)));
        Assert.Equal(4950L, *(long*)Vectors.GetData(DataChunks.GetVector(row, 1)));
        Assert.Equal(99L, *(long*)Vectors.GetData(DataChunks.GetVector(row, 2)));
        Assert.Equal(2475.0, *(double*)Vectors.GetData(DataChunks.GetVector(row, 3)));
    }

    [Fact]
    public void AppenderOnAMissingTable_FailsWithErrorData()
    {
        Assert.Equal(State.Error, Appender.Create(_connection, null, "nowhere", out var appender));
        using (appender)
        {
            using var error = Appender.ErrorData(appender);
            Assert.True(Errors.HasError(error));
            Assert.Equal(DuckDbErrorType.Catalog, Errors.ErrorType(error));
            Assert.Contains("nowhere", Errors.Message(error), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void LogicalTypes_DescribeDecimalEnumListStructMapAndArray()
    {
        Run("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')").Dispose();
        using var result = Run("SELECT 1.5::DECIMAL(18,3), 'ok'::mood, [1], {'a': 'x'}, MAP {'k': 1.5}, [1, 2]::SMALLINT[2]");
        DuckDbLogicalTypeHandle Column(int index) => Query.ColumnLogicalType(result.Pointer, (ulong)index);

        using (var type = Column(0))
        {
            Assert.Equal((18, 3, DuckDbType.BigInt), (LogicalTypes.DecimalWidth(type), LogicalTypes.DecimalScale(type), LogicalTypes.DecimalInternalType(type)));
        }

        using (var type = Column(1))
        {
            Assert.Equal(DuckDbType.UTinyInt, LogicalTypes.EnumInternalType(type));
            Assert.Equal(["sad", "ok", "happy"], VectorReaderFactory.EnumMembers(type));
        }

        using (var type = Column(2))
        using (var child = LogicalTypes.ListTypeChildType(type))
        {
            Assert.Equal(DuckDbType.Integer, LogicalTypes.GetTypeId(child));
        }

        using (var type = Column(3))
        {
            Assert.Equal(1UL, LogicalTypes.StructTypeChildCount(type));
            Assert.Equal("a", LogicalTypes.StructTypeChildName(type, 0));
        }

        using (var type = Column(4))
        using (var key = LogicalTypes.MapTypeKeyType(type))
        using (var value = LogicalTypes.MapTypeValueType(type))
        {
            Assert.Equal((DuckDbType.Varchar, DuckDbType.Decimal), (LogicalTypes.GetTypeId(key), LogicalTypes.GetTypeId(value)));
        }

        using (var type = Column(5))
        using (var child = LogicalTypes.ArrayTypeChildType(type))
        {
            Assert.Equal((2UL, DuckDbType.SmallInt), (LogicalTypes.ArrayTypeArraySize(type), LogicalTypes.GetTypeId(child)));
        }
    }

    [Fact]
    public void VectorSize_IsTheChunkCapacityTheBindingAssumes() => Assert.Equal(2048UL, Vectors.VectorSize());

    public void Dispose()
    {
        _connection.Dispose();
        _database.Dispose();
    }

    private DuckDbResultHandle Run(string sql)
    {
        var result = new DuckDbResultHandle();
        var state = Query.Run(_connection, sql, result.Pointer);
        Assert.True(state == State.Success, Query.ResultError(result.Pointer));
        return result;
    }

    /// <summary>Fetches every chunk: rows, chunks, NULLs in column 1, and the sum of column 0 over rows where column 1 is not NULL.</summary>
    /// <summary>Starts the statement as a pending result, then runs it to a materialized result; both succeed.</summary>
    private static void ExecutePending(DuckDbPreparedStatementHandle statement, DuckDbResultHandle result)
    {
        Assert.Equal(State.Success, PreparedStatements.PendingPrepared(statement, out var pending));
        using (pending)
        {
            Assert.Equal(State.Success, PreparedStatements.ExecutePending(pending, result.Pointer));
        }
    }

    private static (long Rows, int Chunks, long Nulls, long Sum) FetchAll(DuckDbResultHandle result)
    {
        long rows = 0, nulls = 0, sum = 0;
        var chunks = 0;
        while (true)
        {
            using var chunk = Query.FetchChunk(result.Value);
            if (chunk.IsInvalid)
            {
                return (rows, chunks, nulls, sum);
            }

            chunks++;
            var size = DataChunks.GetSize(chunk);
            var numbers = (long*)Vectors.GetData(DataChunks.GetVector(chunk, 0));
            var labels = DataChunks.GetVector(chunk, 1);
            var validity = Vectors.GetValidity(labels);
            for (var row = 0UL; row < size; row++)
            {
                var valid = validity == null || (validity[row / 64] & (1UL << (int)(row % 64))) != 0;
                if (!valid)
                {
                    nulls++;
                    continue;
                }

                Assert.Equal($"label number {numbers[row]}", Encoding.UTF8.GetString(DuckDbStringSlot.Bytes(Vectors.GetData(labels), row)));
                sum += numbers[row];
            }

            rows += (long)size;
        }
    }
}
