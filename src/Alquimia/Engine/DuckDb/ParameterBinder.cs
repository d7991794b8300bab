using System.Text;
using Alquimia.Engine.DuckDb.Native;
using Alquimia.Engine.DuckDb.Reading;
using static Alquimia.Engine.DuckDb.Native.NativeMethods;

namespace Alquimia.Engine.DuckDb;

/// <summary>Binds a CLR value to a prepared statement's parameter, choosing the DuckDB type from the value's type.</summary>
internal static unsafe class ParameterBinder
{
    /// <summary>Strings up to this many UTF-8 bytes are encoded on the stack.</summary>
    private const int StackEncodingLimit = 512;

    /// <summary>Width given to decimal parameters: the widest DuckDB has, so no value is ever narrowed.</summary>
    private const byte DecimalParameterWidth = 38;

    /// <summary>10^38: the first unscaled value with 39 digits.</summary>
    private static readonly Int128 MaxDecimalParameter = Int128.Parse("1" + new string('0', 38), System.Globalization.CultureInfo.InvariantCulture);

    public static void BindParameter(DuckDbPreparedStatementHandle statement, ulong index, string name, object? value)
    {
        var state = value switch
        {
            null or DBNull => Bind.Null(statement, index),
            bool boolean => Bind.Boolean(statement, index, boolean),
            sbyte int8 => Bind.Int8(statement, index, int8),
            short int16 => Bind.Int16(statement, index, int16),
            int int32 => Bind.Int32(statement, index, int32),
            long int64 => Bind.Int64(statement, index, int64),
            byte uint8 => Bind.UInt8(statement, index, uint8),
            ushort uint16 => Bind.UInt16(statement, index, uint16),
            uint uint32 => Bind.UInt32(statement, index, uint32),
            ulong uint64 => Bind.UInt64(statement, index, uint64),
            Int128 hugeInt => Bind.HugeInt(statement, index, DuckDbHugeInt.From(hugeInt)),
            UInt128 uHugeInt => Bind.UHugeInt(statement, index, DuckDbUHugeInt.From(uHugeInt)),
            float single => Bind.Float(statement, index, single),
            double @double => Bind.Double(statement, index, @double),
            decimal @decimal => BindDecimal(statement, index, name, DuckDbDecimal.FromDecimal(@decimal)),
            DuckDbDecimal exact => BindDecimal(statement, index, name, exact),
            string text => BindVarchar(statement, index, text),
            byte[] bytes => BindBlob(statement, index, bytes),
            ReadOnlyMemory<byte> memory => BindBlob(statement, index, memory.Span),
            DateOnly date => Bind.Date(statement, index, DuckDbTime.FromDateOnly(date)),
            // A UTC DateTime is an instant; any other is a wall-clock time.
            DateTime { Kind: DateTimeKind.Utc } instant => Bind.TimestampTz(statement, index, DuckDbTime.ToEpochMicros(instant.Ticks)),
            DateTime timestamp => Bind.Timestamp(statement, index, DuckDbTime.ToEpochMicros(timestamp.Ticks)),
            DateTimeOffset instant => Bind.TimestampTz(statement, index, DuckDbTime.ToEpochMicros(instant.UtcTicks)),
            TimeOnly time => Bind.Time(statement, index, time.Ticks / TimeSpan.TicksPerMicrosecond),
            TimeSpan span => Bind.Interval(statement, index, DuckDbInterval.FromTimeSpan(span)),
            DuckDbInterval interval => Bind.Interval(statement, index, interval),
            Guid guid => BindUuid(statement, index, guid),
            Enum member => BindVarchar(statement, index, member.ToString()),
            _ => throw new NotSupportedException(
                $"Parameter '{name}' is a {value.GetType().Name}, which has no DuckDB type. Pass a number, string, bool, decimal, "
                + "DateOnly, DateTime, DateTimeOffset, TimeOnly, TimeSpan, Guid or byte[]; for a nested value pass its JSON text and CAST it in the SQL."),
        };

        if (state != State.Success)
        {
            throw new DuckDbException(
                $"DuckDB refused the value of parameter '{name}' ({value!.GetType().Name}): the statement may not have a parameter at that position.",
                DuckDbErrorType.InvalidInput);
        }
    }

    private static State BindDecimal(DuckDbPreparedStatementHandle statement, ulong index, string name, DuckDbDecimal value)
    {
        // duckdb_bind_decimal checks neither: a wider value or scale would be stored as an impossible DECIMAL.
        if (value.Scale > DecimalParameterWidth || Int128.Abs(value.UnscaledValue) >= MaxDecimalParameter)
        {
            throw new OverflowException(
                $"Parameter '{name}': the DECIMAL {value} has more than {DecimalParameterWidth} digits or a scale above {DecimalParameterWidth}, the most DuckDB holds.");
        }

        return Bind.Decimal(statement, index, new DuckDbDecimalNative
        {
            Width = DecimalParameterWidth,
            Scale = value.Scale,
            Value = DuckDbHugeInt.From(value.UnscaledValue),
        });
    }

    private static State BindVarchar(DuckDbPreparedStatementHandle statement, ulong index, string text)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        var bytes = length <= StackEncodingLimit ? stackalloc byte[length] : new byte[length];
        Encoding.UTF8.GetBytes(text, bytes);
        fixed (byte* pointer = bytes)
        {
            return Bind.VarcharLength(statement, index, pointer, (ulong)length);
        }
    }

    private static State BindBlob(DuckDbPreparedStatementHandle statement, ulong index, ReadOnlySpan<byte> bytes)
    {
        // A pointer to an empty span may be null, which DuckDB reads as no blob at all: point at a real byte instead.
        byte empty = 0;
        fixed (byte* pointer = bytes)
        {
            return Bind.Blob(statement, index, bytes.IsEmpty ? &empty : pointer, (ulong)bytes.Length);
        }
    }

    private static State BindUuid(DuckDbPreparedStatementHandle statement, ulong index, Guid guid)
    {
        using var value = Values.CreateUuid(DuckDbUuid.ToUHugeInt(guid));
        return Bind.Value(statement, index, value);
    }
}
