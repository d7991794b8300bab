using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Alquimia.Engine.DuckDb.Native;

namespace Alquimia.Engine.DuckDb.Reading;

/// <summary>
/// Integers and floating point numbers stored as they are in memory, HUGEINT and UHUGEINT included
/// (Int128 is laid out as duckdb_hugeint: lower word first).
/// </summary>
internal sealed unsafe class PrimitiveVectorReader<T>(DuckDbType type, string typeName) : VectorReader<T>(type, typeName)
    where T : unmanaged, INumberBase<T>
{
    public override T Read(ulong row) => ((T*)Data)[row];

    public override void WriteJson(Utf8JsonWriter writer, ulong row)
    {
        var value = Read(row);
        if (T.IsNaN(value) || T.IsInfinity(value))
        {
            // JSON has no NaN or Infinity.
            writer.WriteStringValue(value.ToString(null, CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteRawValue(value.ToString(null, CultureInfo.InvariantCulture), skipInputValidation: true);
        }
    }

    public override string GetString(ulong row) => Read(row).ToString(null, CultureInfo.InvariantCulture);
}

/// <summary>BOOLEAN: one byte per value.</summary>
internal sealed unsafe class BooleanVectorReader(string typeName) : VectorReader<bool>(DuckDbType.Boolean, typeName)
{
    public override bool Read(ulong row) => ((byte*)Data)[row] != 0;

    public override void WriteJson(Utf8JsonWriter writer, ulong row) => writer.WriteBooleanValue(Read(row));

    public override string GetString(ulong row) => Read(row) ? "true" : "false";
}

/// <summary>
/// DECIMAL(width, scale), stored as a 16-, 32-, 64- or 128-bit unscaled integer depending on the width.
/// Reads as <see cref="decimal"/> when exact, and always exactly as <see cref="DuckDbDecimal"/> or text.
/// </summary>
internal sealed unsafe class DecimalVectorReader(string typeName, DuckDbType storage, byte scale)
    : VectorReader<decimal>(DuckDbType.Decimal, typeName)
{
    public DuckDbDecimal ReadExact(ulong row) => new(Unscaled(row), scale);

    public override decimal Read(ulong row)
    {
        if (storage == DuckDbType.HugeInt)
        {
            return ReadExact(row).ToDecimal();
        }

        // Up to 18 digits with a scale of at most 18: always exact in decimal's 96-bit mantissa.
        var unscaled = storage switch
        {
            DuckDbType.SmallInt => ((short*)Data)[row],
            DuckDbType.Integer => ((int*)Data)[row],
            _ => ((long*)Data)[row],
        };
        var magnitude = (ulong)Math.Abs(unscaled);
        return new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), 0, unscaled < 0, scale);
    }

    public override void WriteJson(Utf8JsonWriter writer, ulong row) =>
        writer.WriteRawValue(GetString(row), skipInputValidation: true);

    public override string GetString(ulong row) => ReadExact(row).ToString();

    private Int128 Unscaled(ulong row) => storage switch
    {
        DuckDbType.SmallInt => ((short*)Data)[row],
        DuckDbType.Integer => ((int*)Data)[row],
        DuckDbType.BigInt => ((long*)Data)[row],
        _ => ((Int128*)Data)[row],
    };
}
