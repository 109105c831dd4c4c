namespace AutoNet.Cli.Tests;

/// <summary>
/// A `./autonet …` line of a fenced code block of README.md: where it is, the line as written, its arguments as written
/// and as run (after the test's <see cref="ReadmeTour.Substitutions"/>), its trailing comment, and the names of the
/// substitutions that changed it. What kind of line it is (PostgreSQL, CUDA, Ctrl-C) is read from the README's words.
/// </summary>
public sealed record ReadmeCommand(int LineNumber, string Line, IReadOnlyList<string> Written, IReadOnlyList<string> Arguments, string Comment,
    IReadOnlyList<string> Substituted)
{
    public string Command => Written.Count == 0 ? "" : Written[0];

    /// <summary>A search or worker on a PostgreSQL store (or any worker: a SQLite store has one training process).</summary>
    public bool NeedsPostgres => Command == "worker" || Option("--store") is { } store && store.Contains("Host=", StringComparison.OrdinalIgnoreCase);

    /// <summary>A line that names a CUDA device, which the test machines may not have.</summary>
    public bool NeedsCuda => Option("--device") is { } device && device.StartsWith("cuda", StringComparison.OrdinalIgnoreCase);

    /// <summary>A search the README tells the reader to stop with Ctrl-C: run until its first epoch, then interrupted.</summary>
    public bool IsInterruptedSearch => Command == "search" && Comment.Contains("Ctrl-C", StringComparison.Ordinal) && !NeedsPostgres;

    /// <summary>A line the README runs in a second terminal during the search before it: run once that search trains.</summary>
    public bool RunsWhileSearchRuns => Comment.Contains("while the search runs", StringComparison.OrdinalIgnoreCase);

    /// <summary>A search that keeps trials queued for `autonet worker` processes: it runs in the background while they join.</summary>
    public bool IsController => Command == "search" && Option("--remote-slots") is not null;

    public bool IsWorker => Command == "worker";

    /// <summary>A server the README runs until Ctrl-C (the dashboard): started, asked for a page, then interrupted.</summary>
    public bool IsServer => Command == "dashboard";

    /// <summary>The value the README gives the option <paramref name="name"/>, or null.</summary>
    public string? Option(string name)
    {
        var at = Written.ToList().IndexOf(name);
        return at >= 0 && at + 1 < Written.Count ? Written[at + 1] : null;
    }

    public override string ToString() => $"README.md:{LineNumber}: {Line}";
}
