using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Alquimia.Engine.DuckDb.Native;

namespace Alquimia.Engine.DuckDb.Reading;

/// <summary>
/// LIST, ARRAY, STRUCT, MAP and UNION are read as JSON text: each nested reader walks its child vectors and lets
/// the children write themselves. The children are reset together with the parent, once per chunk.
/// </summary>
internal abstract class JsonVectorReader(DuckDbType type, string typeName) : VectorReader<string>(type, typeName)
{
    // Text as DuckDB's own JSON writes it ("ação", not "a\u00E7\u00E3o"). The result is data, not HTML, so the
    // relaxed encoder's one risk, unescaped <, > and & inside a web page, does not apply.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _buffer;

    public override string Read(ulong row)
    {
        // The thread's buffer is lent to one call at a time: a nested value may be asked for its text while an outer
        // one is being written into the buffer (a MAP whose keys are lists), and then gets a buffer of its own.
        var buffer = _buffer ?? new ArrayBufferWriter<byte>();
        _buffer = null;
        try
        {
            buffer.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                WriteJson(writer, row);
            }

            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
        finally
        {
            _buffer = buffer;
        }
    }

    public override string GetString(ulong row) => Read(row);

    public abstract override void WriteJson(Utf8JsonWriter writer, ulong row);

    protected static void WriteChild(Utf8JsonWriter writer, VectorReader child, ulong row)
    {
        if (child.IsValid(row))
        {
            child.WriteJson(writer, row);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}

/// <summary>LIST: each row is a slice (offset, length) of one child vector; written as a JSON array.</summary>
internal sealed unsafe class ListVectorReader(string typeName, VectorReader element) : JsonVectorReader(DuckDbType.List, typeName)
{
    public override void Reset(nint vector)
    {
        base.Reset(vector);
        element.Reset(NativeMethods.Vectors.ListVectorGetChild(vector));
    }

    public override void WriteJson(Utf8JsonWriter writer, ulong row)
    {
        var entry = ((DuckDbListEntry*)Data)[row];
        writer.WriteStartArray();
        for (var i = entry.Offset; i < entry.Offset + entry.Length; i++)
        {
            WriteChild(writer, element, i);
        }

        writer.WriteEndArray();
    }
}

/// <summary>ARRAY(n): a fixed number of child values per row; written as a JSON array.</summary>
internal sealed class ArrayVectorReader(string typeName, VectorReader element, ulong size) : JsonVectorReader(DuckDbType.Array, typeName)
{
    public override void Reset(nint vector)
    {
        base.Reset(vector);
        element.Reset(NativeMethods.Vectors.ArrayVectorGetChild(vector));
    }

    public override void WriteJson(Utf8JsonWriter writer, ulong row)
    {
        writer.WriteStartArray();
        for (var i = row * size; i < (row + 1) * size; i++)
        {
            WriteChild(writer, element, i);
        }

        writer.WriteEndArray();
    }
}

/// <summary>STRUCT: one child vector per field; written as a JSON object.</summary>
internal sealed class StructVectorReader(string typeName, string[] names, VectorReader[] fields)
    : JsonVectorReader(DuckDbType.Struct, typeName)
{
    public override void Reset(nint vector)
    {
        base.Reset(vector);
        for (var i = 0; i < fields.Length; i++)
        {
            fields[i].Reset(NativeMethods.Vectors.StructVectorGetChild(vector, (ulong)i));
        }
    }

    public override void WriteJson(Utf8JsonWriter writer, ulong row)
    {
        writer.WriteStartObject();
        for (var i = 0; i < fields.Length; i++)
        {
            writer.WritePropertyName(names[i]);
            WriteChild(writer, fields[i], row);
        }

        writer.WriteEndObject();
    }
}

/// <summary>MAP: a LIST of STRUCT(key, value); written as a JSON object whose property names are the keys as text.</summary>
internal sealed unsafe class MapVectorReader(string typeName, VectorReader key, VectorReader value) : JsonVectorReader(DuckDbType.Map, typeName)
{
    public override void Reset(nint vector)
    {
        base.Reset(vector);
        var entries = NativeMethods.Vectors.ListVectorGetChild(vector);
        key.Reset(NativeMethods.Vectors.StructVectorGetChild(entries, 0));
        value.Reset(NativeMethods.Vectors.StructVectorGetChild(entries, 1));
    }

    public override void WriteJson(Utf8JsonWriter writer, ulong row)
    {
        var entry = ((DuckDbListEntry*)Data)[row];
        writer.WriteStartObject();
        for (var i = entry.Offset; i < entry.Offset + entry.Length; i++)
        {
            writer.WritePropertyName(key.GetString(i));
            WriteChild(writer, value, i);
        }

        writer.WriteEndObject();
    }
}

/// <summary>UNION: a STRUCT whose first child is the tag naming which member holds the value; written as that value.</summary>
internal sealed unsafe class UnionVectorReader(string typeName, VectorReader[] members) : JsonVectorReader(DuckDbType.Union, typeName)
{
    private byte* _tags;

    public override void Reset(nint vector)
    {
        base.Reset(vector);
        _tags = (byte*)NativeMethods.Vectors.GetData(NativeMethods.Vectors.StructVectorGetChild(vector, 0));
        for (var i = 0; i < members.Length; i++)
        {
            members[i].Reset(NativeMethods.Vectors.StructVectorGetChild(vector, (ulong)i + 1));
        }
    }

    public override void WriteJson(Utf8JsonWriter writer, ulong row) => WriteChild(writer, members[_tags[row]], row);
}
