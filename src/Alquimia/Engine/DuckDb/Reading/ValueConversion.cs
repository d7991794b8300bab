using System.Globalization;

namespace Alquimia.Engine.DuckDb.Reading;

/// <summary>
/// Reading a column as another CLR type than its own: widening numbers, a DATE as DateTime, an INTERVAL as
/// TimeSpan, a DECIMAL exactly as <see cref="DuckDbDecimal"/>, anything as text. What cannot convert says which
/// column and which types.
/// </summary>
internal static class ValueConversion
{
    public static T Convert<T>(VectorReader column, ulong row, string columnName)
    {
        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        try
        {
            return (T)ConvertTo(column, row, target);
        }
        catch (Exception error) when (error is InvalidCastException or FormatException or OverflowException)
        {
            throw new InvalidCastException(
                $"Column '{columnName}' is {column.TypeName}; its value cannot be read as {target.Name}: {error.Message}", error);
        }
    }

    private static object ConvertTo(VectorReader column, ulong row, Type target)
    {
        if (target == typeof(string))
        {
            return column.GetString(row);
        }

        switch (column)
        {
            case DecimalVectorReader exact when target == typeof(DuckDbDecimal):
                return exact.ReadExact(row);
            case TimeVectorReader time when target == typeof(TimeSpan):
                return time.ReadTimeSpan(row);
        }

        var value = column.GetValue(row);
        if (target.IsInstanceOfType(value))
        {
            return value;
        }

        return (value, target) switch
        {
            (DateOnly date, _) when target == typeof(DateTime) => date.ToDateTime(TimeOnly.MinValue),
            (DateTime timestamp, _) when target == typeof(DateOnly) => DateOnly.FromDateTime(timestamp),
            (DateTime timestamp, _) when target == typeof(DateTimeOffset) => new DateTimeOffset(DateTime.SpecifyKind(timestamp, DateTimeKind.Utc)),
            (DateTimeOffset instant, _) when target == typeof(DateTime) => instant.UtcDateTime,
            (TimeOnly time, _) when target == typeof(TimeSpan) => time.ToTimeSpan(),
            (DuckDbInterval interval, _) when target == typeof(TimeSpan) => interval.ToTimeSpan(),
            (decimal number, _) when target == typeof(DuckDbDecimal) => DuckDbDecimal.FromDecimal(number),
            (Int128 number, _) => ConvertNumber(number, target),
            (UInt128 number, _) => ConvertNumber(number, target),
            (IConvertible convertible, _) when target == typeof(Int128) => (Int128)convertible.ToDecimal(CultureInfo.InvariantCulture),
            (IConvertible convertible, _) when typeof(IConvertible).IsAssignableFrom(target) =>
                System.Convert.ChangeType(convertible, target, CultureInfo.InvariantCulture),
            _ => throw new InvalidCastException($"there is no conversion from {value.GetType().Name}."),
        };
    }

    private static object ConvertNumber<TNumber>(TNumber number, Type target)
        where TNumber : System.Numerics.IBinaryInteger<TNumber>
    {
        return target switch
        {
            _ when target == typeof(long) => long.CreateChecked(number),
            _ when target == typeof(ulong) => ulong.CreateChecked(number),
            _ when target == typeof(int) => int.CreateChecked(number),
            _ when target == typeof(decimal) => decimal.CreateChecked(number),
            _ when target == typeof(double) => double.CreateChecked(number),
            _ when target == typeof(Int128) => Int128.CreateChecked(number),
            _ when target == typeof(UInt128) => UInt128.CreateChecked(number),
            _ => throw new InvalidCastException($"there is no conversion from {typeof(TNumber).Name}."),
        };
    }
}
