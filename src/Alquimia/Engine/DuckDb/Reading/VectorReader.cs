using System.Globalization;
using System.Text.Json;
using Alquimia.Engine.DuckDb.Native;

namespace Alquimia.Engine.DuckDb.Reading;

/// <summary>
/// Reads one column of a result, chunk after chunk: built once per column from its logical type, then pointed at
/// each chunk's vector with <see cref="Reset"/>. Values are read straight from the vector's memory
/// (<c>((T*)data)[row]</c>) and NULLs from its validity mask; nothing is copied until a value is asked for.
/// </summary>
internal abstract unsafe class VectorReader(DuckDbType type, string typeName)
{
    private ulong* _validity;

    /// <summary>DuckDB's type id of the column.</summary>
    public DuckDbType Type { get; } = type;

    /// <summary>The SQL name of the column's type, e.g. <c>DECIMAL(18,2)</c> or <c>VARCHAR[]</c>.</summary>
    public string TypeName { get; } = typeName;

    /// <summary>The CLR type <see cref="GetValue"/> returns.</summary>
    public abstract Type ClrType { get; }

    /// <summary>The vector's data; valid until the chunk it belongs to is destroyed or reset.</summary>
    protected void* Data { get; private set; }

    /// <summary>Points the reader at the column's vector in a new chunk.</summary>
    public virtual void Reset(nint vector)
    {
        Data = NativeMethods.Vectors.GetData(vector);
        _validity = NativeMethods.Vectors.GetValidity(vector);
    }

    /// <summary>False when the value at <paramref name="row"/> is NULL. A missing mask means every row is valid.</summary>
    public bool IsValid(ulong row) => _validity == null || (_validity[row >> 6] & (1UL << (int)(row & 63))) != 0;

    /// <summary>The value at a valid row, boxed as <see cref="ClrType"/>.</summary>
    public abstract object GetValue(ulong row);

    /// <summary>The value at a valid row as text: exact for decimals, ISO 8601 for dates and times, JSON for nested types.</summary>
    public virtual string GetString(ulong row) => Convert.ToString(GetValue(row), CultureInfo.InvariantCulture) ?? "";

    /// <summary>Writes the value at a valid row as JSON, for the nested types that contain it.</summary>
    public virtual void WriteJson(Utf8JsonWriter writer, ulong row) => writer.WriteStringValue(GetString(row));
}

/// <summary>A <see cref="VectorReader"/> whose values are <typeparamref name="T"/>, read without boxing.</summary>
internal abstract class VectorReader<T>(DuckDbType type, string typeName) : VectorReader(type, typeName)
{
    public override Type ClrType => typeof(T);

    /// <summary>The value at a valid row.</summary>
    public abstract T Read(ulong row);

    public override object GetValue(ulong row) => Read(row)!;
}
