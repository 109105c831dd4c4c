using AutoNet.Data;
using AutoNet.Search.Spaces;
using AutoNet.Store;

namespace AutoNet.Cli;

/// <summary>One way for every command to turn a failure into a message on stderr and an exit status.</summary>
public static class CliErrors
{
    public const int Failure = 1;

    /// <summary>128 + SIGINT, what a shell reports for a process stopped by Ctrl-C.</summary>
    public const int Interrupted = 130;

    /// <summary>Runs a command body; bad input becomes `error: …` and status 1, cancellation status 130.</summary>
    public static async Task<int> RunAsync(Func<Task<int>> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("cancelled").ConfigureAwait(false);
            return Interrupted;
        }
        catch (Exception e) when (IsUserError(e))
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return Failure;
        }
    }

    private static bool IsUserError(Exception e) => e is CliException or ExperimentStoreException or DataSetException or SearchSpaceException
        or ArgumentException or FormatException or IOException or UnauthorizedAccessException or System.Text.Json.JsonException
        or Microsoft.Data.Sqlite.SqliteException or Npgsql.NpgsqlException;
}
