using Alquimia.Engine.DuckDb.Native;

namespace Alquimia.Engine.DuckDb.Writing;

/// <summary>
/// Writes one column of the appender's data chunk: values go straight into the vector's memory, NULLs into its
/// validity mask. Each writer accepts the CLR types that convert to its column without loss; any other throws a
/// message naming the column and both types.
/// </summary>
internal abstract unsafe class ColumnWriter(string columnName, string typeName)
{
    private nint _vector;
    private ulong* _validity;

    public string ColumnName { get; } = columnName;

    public string TypeName { get; } = typeName;

    protected void* Data { get; private set; }

    protected nint Vector => _vector;

    /// <summary>Points the writer at its vector in a fresh (or freshly reset) chunk.</summary>
    public void Reset(nint vector)
    {
        _vector = vector;
        Data = NativeMethods.Vectors.GetData(vector);
        // A reset chunk has every row valid again; the mask is made writable on the first NULL only.
        _validity = null;
    }

    public virtual void WriteNull(ulong row)
    {
        if (_validity == null)
        {
            NativeMethods.Vectors.EnsureValidityWritable(_vector);
            _validity = NativeMethods.Vectors.GetValidity(_vector);
        }

        _validity[row >> 6] &= ~(1UL << (int)(row & 63));
    }

    public virtual void WriteBoolean(ulong row, bool value) => throw Mismatch(nameof(Boolean));

    public virtual void WriteInt64(ulong row, long value) => throw Mismatch("integer");

    public virtual void WriteUInt64(ulong row, ulong value) => throw Mismatch("unsigned integer");

    public virtual void WriteInt128(ulong row, Int128 value) => throw Mismatch(nameof(Int128));

    public virtual void WriteUInt128(ulong row, UInt128 value) => throw Mismatch(nameof(UInt128));

    public virtual void WriteDouble(ulong row, double value) => throw Mismatch("floating-point number");

    public virtual void WriteDecimal(ulong row, DuckDbDecimal value) => throw Mismatch(nameof(Decimal));

    public virtual void WriteString(ulong row, string value) => throw Mismatch(nameof(String));

    public virtual void WriteBlob(ulong row, ReadOnlySpan<byte> value) => throw Mismatch("byte array");

    public virtual void WriteUtf8(ulong row, ReadOnlySpan<byte> value) => throw Mismatch("UTF-8 text");

    public virtual void WriteDate(ulong row, DateOnly value) => throw Mismatch(nameof(DateOnly));

    public virtual void WriteDateTime(ulong row, DateTime value) => throw Mismatch(nameof(DateTime));

    public virtual void WriteDateTimeOffset(ulong row, DateTimeOffset value) => throw Mismatch(nameof(DateTimeOffset));

    public virtual void WriteTime(ulong row, TimeOnly value) => throw Mismatch(nameof(TimeOnly));

    public virtual void WriteTimeSpan(ulong row, TimeSpan value) => throw Mismatch(nameof(TimeSpan));

    public virtual void WriteInterval(ulong row, DuckDbInterval value) => throw Mismatch(nameof(DuckDbInterval));

    public virtual void WriteGuid(ulong row, Guid value) => throw Mismatch(nameof(Guid));

    protected InvalidCastException Mismatch(string clrType) => new(
        $"Column '{ColumnName}' is {TypeName}; {Article(clrType)} {clrType} cannot be appended to it. Append a value of the column's type, or NULL.");

    protected OverflowException OutOfRange(object value) => new(
        $"The value {value} does not fit column '{ColumnName}' ({TypeName}).");

    // "an integer", "an Int128", but "a UInt128": a capital U starts a type name said "you".
    private static string Article(string noun) => noun[0] is 'a' or 'e' or 'i' or 'o' or 'u' or 'A' or 'E' or 'I' or 'O' ? "an" : "a";
}
