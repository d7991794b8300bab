namespace Alquimia.Examples.Ecommerce;

/// <summary>
/// Seed 002's e-commerce project (examples/ecommerce: alquimia.yml, the postgres_cdc source of customers and
/// products, the files source of orders, and the bronze, silver and gold models), embedded so the CLI can write it
/// into any folder. Its data comes from <see cref="EcommerceGenerator"/>.
/// </summary>
public static class EcommerceExample
{
    private static readonly EmbeddedProject Project = new("ecommerce");

    /// <summary>The environment variable the CDC source's connection is read from.</summary>
    public const string ConnectionVariable = "ECOMMERCE_POSTGRES";

    /// <summary>The project's files, as paths relative to the project folder with '/' separators, sorted.</summary>
    public static IReadOnlyList<string> Files { get; } = Project.Files;

    /// <summary>Writes the project's files under <paramref name="directory"/>; a file that exists is kept unless <paramref name="overwrite"/>.</summary>
    public static IReadOnlyList<string> WriteProjectTo(string directory, bool overwrite = false) => Project.WriteTo(directory, overwrite);

    /// <summary>The text of one of the project's <see cref="Files"/>, e.g. <c>models/gold/ft_vendas.sql</c>.</summary>
    public static string ReadFile(string relativePath) => Project.Read(relativePath);
}
