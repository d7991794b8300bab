using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

namespace Alquimia.Engine.DuckDb;

/// <summary>
/// A value bound to a prepared statement: by name (<c>$cliente_id</c> in the SQL, "cliente_id" here; a leading
/// <c>$</c>, <c>@</c> or <c>:</c> is ignored) or by position (<c>?</c> or <c>$1</c>, matched to the collection's order).
/// The DuckDB type follows the CLR type of <see cref="Value"/>; see <see cref="DuckDbCommand"/> for the mapping.
/// </summary>
public sealed class DuckDbParameter : DbParameter
{
    private string _parameterName = "";

    public DuckDbParameter() { }

    public DuckDbParameter(object? value)
    {
        Value = value;
    }

    public DuckDbParameter(string parameterName, object? value)
    {
        ParameterName = parameterName;
        Value = value;
    }

    public override DbType DbType { get; set; } = DbType.Object;

    /// <summary>Only input parameters exist in DuckDB.</summary>
    public override ParameterDirection Direction
    {
        get => ParameterDirection.Input;
        set
        {
            if (value != ParameterDirection.Input)
            {
                throw new NotSupportedException("DuckDB parameters are input only.");
            }
        }
    }

    public override bool IsNullable { get; set; }

    [AllowNull]
    public override string ParameterName
    {
        get => _parameterName;
        set => _parameterName = value ?? "";
    }

    public override int Size { get; set; }

    [AllowNull]
    public override string SourceColumn { get; set; } = "";

    public override bool SourceColumnNullMapping { get; set; }

    public override object? Value { get; set; }

    /// <summary>The name as DuckDB reports it: without a leading <c>$</c>, <c>@</c> or <c>:</c>.</summary>
    internal string BareName => _parameterName.TrimStart('$', '@', ':');

    public override void ResetDbType() => DbType = DbType.Object;
}
