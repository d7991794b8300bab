using System.Collections.Frozen;
using DuckDB.NET.Data;
using DuckDB.NET.Native;

namespace Alquimia.Warehouse.DuckDb;

/// <summary>
/// Turns DuckDB.NET's exceptions into <see cref="DuckDbEngineException"/> with the kind DuckDB wrote in the message
/// ("Catalog Error: …"), since DuckDB.NET reports every error raised while preparing a statement as <c>Invalid</c>.
/// </summary>
internal static class DuckDbErrors
{
    /// <summary>DuckDB's INVALID_CONFIGURATION (42), which DuckDB.NET's enum lacks.</summary>
    public const DuckDBErrorType InvalidConfiguration = (DuckDBErrorType)42;

    /// <summary>DuckDB's names of its error kinds as they open a message (<c>Exception::ExceptionTypeToString</c>).</summary>
    private static readonly FrozenDictionary<string, DuckDBErrorType> Kinds = new Dictionary<string, DuckDBErrorType>(StringComparer.OrdinalIgnoreCase)
    {
        ["Invalid"] = DuckDBErrorType.Invalid,
        ["Out of Range"] = DuckDBErrorType.OutOfRange,
        ["Conversion"] = DuckDBErrorType.Conversion,
        ["Unknown Type"] = DuckDBErrorType.UnknownType,
        ["Decimal"] = DuckDBErrorType.Decimal,
        ["Mismatch Type"] = DuckDBErrorType.MismatchType,
        ["Divide by Zero"] = DuckDBErrorType.DivideByZero,
        ["Object Size"] = DuckDBErrorType.ObjectSize,
        ["Invalid type"] = DuckDBErrorType.InvalidType,
        ["Serialization"] = DuckDBErrorType.Serialization,
        ["TransactionContext"] = DuckDBErrorType.Transaction,
        ["Not implemented"] = DuckDBErrorType.NotImplemented,
        ["Expression"] = DuckDBErrorType.Expression,
        ["Catalog"] = DuckDBErrorType.Catalog,
        ["Parser"] = DuckDBErrorType.Parser,
        ["Planner"] = DuckDBErrorType.Planner,
        ["Scheduler"] = DuckDBErrorType.Scheduler,
        ["Executor"] = DuckDBErrorType.Executor,
        ["Constraint"] = DuckDBErrorType.Constraint,
        ["Index"] = DuckDBErrorType.Index,
        ["Stat"] = DuckDBErrorType.Stat,
        ["Connection"] = DuckDBErrorType.Connection,
        ["Syntax"] = DuckDBErrorType.Syntax,
        ["Settings"] = DuckDBErrorType.Settings,
        ["Binder"] = DuckDBErrorType.Binder,
        ["Network"] = DuckDBErrorType.Network,
        ["Optimizer"] = DuckDBErrorType.Optimizer,
        ["NullPointer"] = DuckDBErrorType.NullPointer,
        ["IO"] = DuckDBErrorType.Io,
        ["INTERRUPT"] = DuckDBErrorType.Interrupt,
        ["FATAL"] = DuckDBErrorType.Fatal,
        ["INTERNAL"] = DuckDBErrorType.Internal,
        ["Invalid Input"] = DuckDBErrorType.InvalidInput,
        ["Out of Memory"] = DuckDBErrorType.OutOfMemory,
        ["Permission"] = DuckDBErrorType.Permission,
        ["Parameter Not Resolved"] = DuckDBErrorType.ParameterNotResolved,
        ["Parameter Not Allowed"] = DuckDBErrorType.ParameterNotAllowed,
        ["Dependency"] = DuckDBErrorType.Dependency,
        ["HTTP"] = DuckDBErrorType.Http,
        ["Missing Extension"] = DuckDBErrorType.MissingExtension,
        ["Extension Autoloading"] = DuckDBErrorType.Autoload,
        ["Sequence"] = DuckDBErrorType.Sequence,
        ["Invalid Configuration"] = DuckDbErrors.InvalidConfiguration,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>The error as a <see cref="DuckDbEngineException"/> naming <paramref name="sql"/>; one already converted is returned as it is.</summary>
    public static Exception Convert(Exception error, string? sql) => error switch
    {
        DuckDbEngineException => error,
        DuckDBException duckDb => new DuckDbEngineException(Message(duckDb.Message), KindOf(duckDb), sql, duckDb),
        _ => error,
    };

    /// <summary>The kind DuckDB named in the message; DuckDB.NET's own when the message names none.</summary>
    public static DuckDBErrorType KindOf(DuckDBException error)
    {
        var message = error.Message;
        var end = message.IndexOf(" Error: ", StringComparison.Ordinal);
        return end > 0 && Kinds.TryGetValue(message[..end], out var kind) ? kind : error.ErrorType;
    }

    /// <summary>DuckDB.NET prefixes some messages with the call that failed ("DuckDBOpen failed: "); DuckDB's text is what follows.</summary>
    private static string Message(string message)
    {
        const string failed = " failed: ";
        var at = message.IndexOf(failed, StringComparison.Ordinal);
        return at is > 0 and < 40 && message.StartsWith("DuckDB", StringComparison.Ordinal) ? message[(at + failed.Length)..] : message;
    }
}
