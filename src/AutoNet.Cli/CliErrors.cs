using System.Globalization;
using AutoNet.Data;
using AutoNet.Data.Decoding;
using AutoNet.Export.Packaging;
using AutoNet.Search.Spaces;
using AutoNet.Store;
using AutoNet.Torch.Weights;
using AutoNet.Training;
using Microsoft.Data.Sqlite;

namespace AutoNet.Cli;

/// <summary>
/// One way for every command to turn a failure into a message on stderr and an exit status. A known user error (bad
/// input, a damaged file, a refused path, a file system that said no) prints `error: …` and exits 1; anything else is a
/// bug in AutoNet: one line says so and where the stack trace was written, and the exit status is 70.
/// </summary>
public static class CliErrors
{
    public const int Failure = 1;

    /// <summary>EX_SOFTWARE of sysexits.h: an internal error, so scripts can tell a bug from bad input.</summary>
    public const int Bug = 70;

    /// <summary>128 + SIGINT, what a shell reports for a process stopped by Ctrl-C.</summary>
    public const int Interrupted = 130;

    /// <summary>
    /// SQLite result codes that describe the file or the machine rather than AutoNet's SQL: permission, busy, locked,
    /// read-only, I/O error, damaged, full, cannot open, not a database.
    /// </summary>
    private static readonly int[] SqliteEnvironment = [3, 5, 6, 8, 10, 11, 13, 14, 26];

    /// <summary>Runs a command body; bad input becomes `error: …` and status 1, cancellation status 130, a bug status 70.</summary>
    public static Task<int> RunAsync(Func<Task<int>> body) => RunAsync(body, Console.Error, Path.GetTempPath());

    /// <summary><see cref="RunAsync(Func{Task{int}})"/> with the synchronous body most data commands have.</summary>
    public static Task<int> Run(Func<int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return RunAsync(() => Task.FromResult(body()));
    }

    /// <summary>As <see cref="RunAsync(Func{Task{int}})"/>, printing to <paramref name="error"/> and writing crash logs into <paramref name="crashFolder"/>.</summary>
    internal static async Task<int> RunAsync(Func<Task<int>> body, TextWriter error, string crashFolder)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("cancelled").ConfigureAwait(false);
            return Interrupted;
        }
        catch (Exception e)
        {
            return Report(e, error, crashFolder);
        }
    }

    /// <summary>Prints what <paramref name="exception"/> means to the user and returns the exit status.</summary>
    public static int Report(Exception exception, TextWriter error, string crashFolder)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(error);
        if (UserMessage(exception) is { } message)
        {
            error.WriteLine($"error: {message}");
            return Failure;
        }

        var summary = $"{exception.GetType().Name}: {FirstLine(exception.Message)}";
        try
        {
            var log = WriteCrashLog(exception, crashFolder);
            error.WriteLine($"autonet: this is a bug in AutoNet ({summary}); details were written to {log}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nowhere to put the details: they go to stderr rather than being lost.
            error.WriteLine($"autonet: this is a bug in AutoNet ({summary}); the details could not be written to {crashFolder} ({e.Message}), so here they are:");
            error.WriteLine(exception.ToString());
        }

        return Bug;
    }

    /// <summary>The message to print for an error the user can act on, or null when the exception is a bug.</summary>
    private static string? UserMessage(Exception e) => e switch
    {
        CliException or ExperimentStoreException or DataSetException or ImageDecodeException or SearchSpaceException or ModelPackageException
            or CheckpointException or WeightsFileException => e.Message,

        // The file system said no: a missing or unreadable file, a full disk, a permission.
        IOException or UnauthorizedAccessException => e.Message,
        SqliteException s when SqliteEnvironment.Contains(s.SqliteErrorCode) => $"the SQLite store: {s.Message}",
        Npgsql.NpgsqlException => $"PostgreSQL: {e.Message}",
        _ => null,
    };

    private static string WriteCrashLog(Exception exception, string folder)
    {
        Directory.CreateDirectory(folder);
        var now = DateTime.UtcNow;
        var path = Path.Join(Path.GetFullPath(folder),
            string.Create(CultureInfo.InvariantCulture, $"autonet-crash-{now:yyyyMMdd-HHmmss}-{Environment.ProcessId}.log"));
        var version = typeof(CliErrors).Assembly.GetName().Version;
        File.WriteAllText(path, string.Create(CultureInfo.InvariantCulture,
            $"""
            AutoNet {version} crashed at {now:O} (UTC)
            command: {string.Join(' ', Environment.GetCommandLineArgs())}
            runtime: {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription} on {System.Runtime.InteropServices.RuntimeInformation.OSDescription}

            {exception}

            """));
        return path;
    }

    private static string FirstLine(string text)
    {
        var line = text.AsSpan().TrimStart();
        var end = line.IndexOfAny('\r', '\n');
        return (end < 0 ? line : line[..end]).ToString();
    }
}
