using Alquimia.Ingestion.Cdc;
using Alquimia.Ingestion.Files;
using Alquimia.Ingestion.MySql;
using Alquimia.Ingestion.Postgres;
using Alquimia.Projects;

namespace Alquimia.Ingestion;

/// <summary>The connectors a project's sources may name in <c>type:</c>; the one place a new connector is registered.</summary>
internal sealed class SourceConnectors
{
    private readonly Dictionary<string, ISourceConnector> _byType;

    /// <param name="connectors">Every connector; the first is the default when a source file has no <c>type:</c>.</param>
    /// <exception cref="ArgumentException">Two connectors have one type.</exception>
    public SourceConnectors(params ISourceConnector[] connectors)
    {
        ArgumentOutOfRangeException.ThrowIfZero(connectors.Length);
        _byType = new Dictionary<string, ISourceConnector>(StringComparer.Ordinal);
        foreach (var connector in connectors)
        {
            if (!_byType.TryAdd(connector.Type, connector))
            {
                throw new ArgumentException($"Two connectors have the type '{connector.Type}'.", nameof(connectors));
            }
        }

        Types = [.. connectors.Select(connector => connector.Type)];
        DefaultType = Types[0];
    }

    /// <summary>Alquimia's connectors.</summary>
    public static SourceConnectors Default { get; } = new(new FilesConnector(), new PostgresConnector(), new MySqlSourceConnector(), new PostgresCdcConnector());

    /// <summary>The types, as registered.</summary>
    public IReadOnlyList<string> Types { get; }

    /// <summary>The type of a source file without <c>type:</c>.</summary>
    public string DefaultType { get; }

    /// <summary>Each type's connector.</summary>
    public IReadOnlyDictionary<string, ISourceConnector> ByType => _byType;

    /// <summary>The connector of <paramref name="source"/>.</summary>
    public ISourceConnector For(SourceDefinition source) => _byType[source.Type];
}
