using System.Collections;
using System.Data.Common;

namespace Alquimia.Engine.DuckDb;

/// <summary>The parameters of a <see cref="DuckDbCommand"/>, in order.</summary>
public sealed class DuckDbParameterCollection : DbParameterCollection
{
    private readonly List<DuckDbParameter> _parameters = [];

    public override int Count => _parameters.Count;

    public override object SyncRoot => ((ICollection)_parameters).SyncRoot;

    public new DuckDbParameter this[int index]
    {
        get => _parameters[index];
        set => _parameters[index] = value;
    }

    /// <summary>Adds a named parameter and returns it.</summary>
    public DuckDbParameter Add(string parameterName, object? value)
    {
        var parameter = new DuckDbParameter(parameterName, value);
        _parameters.Add(parameter);
        return parameter;
    }

    /// <summary>Adds a positional parameter and returns it.</summary>
    public DuckDbParameter AddValue(object? value)
    {
        var parameter = new DuckDbParameter(value);
        _parameters.Add(parameter);
        return parameter;
    }

    public override int Add(object value)
    {
        _parameters.Add(Cast(value));
        return _parameters.Count - 1;
    }

    public override void AddRange(Array values)
    {
        foreach (var value in values)
        {
            Add(value!);
        }
    }

    public override void Clear() => _parameters.Clear();

    public override bool Contains(object value) => value is DuckDbParameter parameter && _parameters.Contains(parameter);

    public override bool Contains(string value) => IndexOf(value) >= 0;

    public override void CopyTo(Array array, int index) => ((ICollection)_parameters).CopyTo(array, index);

    public override IEnumerator GetEnumerator() => _parameters.GetEnumerator();

    public override int IndexOf(object value) => value is DuckDbParameter parameter ? _parameters.IndexOf(parameter) : -1;

    public override int IndexOf(string parameterName)
    {
        var bare = parameterName.TrimStart('$', '@', ':');
        return _parameters.FindIndex(parameter => string.Equals(parameter.BareName, bare, StringComparison.OrdinalIgnoreCase));
    }

    public override void Insert(int index, object value) => _parameters.Insert(index, Cast(value));

    public override void Remove(object value) => _parameters.Remove(Cast(value));

    public override void RemoveAt(int index) => _parameters.RemoveAt(index);

    public override void RemoveAt(string parameterName) => _parameters.RemoveAt(IndexOfExisting(parameterName));

    protected override DbParameter GetParameter(int index) => _parameters[index];

    protected override DbParameter GetParameter(string parameterName) => _parameters[IndexOfExisting(parameterName)];

    protected override void SetParameter(int index, DbParameter value) => _parameters[index] = Cast(value);

    protected override void SetParameter(string parameterName, DbParameter value) =>
        _parameters[IndexOfExisting(parameterName)] = Cast(value);

    private static DuckDbParameter Cast(object value) => value as DuckDbParameter
        ?? throw new ArgumentException($"Expected a {nameof(DuckDbParameter)}, got {value?.GetType().Name ?? "null"}.", nameof(value));

    private int IndexOfExisting(string parameterName)
    {
        var index = IndexOf(parameterName);
        return index >= 0 ? index : throw new ArgumentException($"The command has no parameter named '{parameterName}'.", nameof(parameterName));
    }
}
