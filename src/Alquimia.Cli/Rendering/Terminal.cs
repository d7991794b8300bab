using Spectre.Console;
using Spectre.Console.Rendering;

namespace Alquimia.Cli.Rendering;

/// <summary>
/// Writes Spectre markup and tables. When output is redirected (CI logs, tests) Spectre would wrap tables at 80
/// columns; a wide fixed width keeps each row on one line there.
/// </summary>
internal static class Terminal
{
    private static readonly IAnsiConsole Console = Create();

    public static void Write(IRenderable renderable) => Console.Write(renderable);

    public static void WriteLine(string markup) => Console.MarkupLine(markup);

    public static void WriteLine() => Console.WriteLine();

    private static IAnsiConsole Create()
    {
        if (!System.Console.IsOutputRedirected)
        {
            return AnsiConsole.Console;
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No });
        console.Profile.Width = 200;
        return console;
    }
}
