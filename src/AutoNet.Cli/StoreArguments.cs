using System.CommandLine;

namespace AutoNet.Cli;

/// <summary>The --store and --workspace options every command that reads experiments shares.</summary>
public static class StoreArguments
{
    public static Option<string?> Store() => new("--store")
    {
        Description = "The experiment store: a file (an existing one opens with the engine that wrote it, SQLite or LiteDB; "
            + "a new one is SQLite, or LiteDB when named litedb:PATH) or a PostgreSQL connection string (default: <workspace>/autonet.db).",
    };

    public static Option<string> Workspace() => new("--workspace")
    {
        Description = "Folder for caches, trial checkpoints and the default store.",
        DefaultValueFactory = _ => CliStore.DefaultWorkspace,
    };

    public static string Location(ParseResult result, Option<string?> store, Option<string> workspace)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.GetValue(store) ?? CliStore.DefaultLocation(result.GetValue(workspace)!);
    }
}
