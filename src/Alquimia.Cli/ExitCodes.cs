namespace Alquimia.Cli;

/// <summary>What the `alquimia` command returns to the shell.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Something failed while running: a model, the warehouse, the engine.</summary>
    public const int Failed = 1;

    /// <summary>The project or the command line is invalid; nothing was run.</summary>
    public const int Invalid = 2;

    /// <summary>The run was cancelled (Ctrl-C): what had committed stays, the rest did not run. 128 + SIGINT, as shells report it.</summary>
    public const int Cancelled = 130;
}
