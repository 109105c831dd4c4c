using System.Diagnostics;
using AutoNet.Store;
using Npgsql;
using Xunit.Abstractions;

namespace AutoNet.Cli.Tests;

/// <summary>
/// The README's promise that every command in it works: each `./autonet …` line of its fenced code blocks is run, in README
/// order, with the real `autonet` program (the launcher's own dll) in a fresh folder holding a small Fashion-MNIST image
/// folder as <c>photos/</c> (<see cref="TourFolder"/>). The only changes are <see cref="ReadmeTour.Substitutions"/>. Each
/// line must exit 0, except those the README says are stopped with Ctrl-C, which must exit 130. The PostgreSQL lines run
/// in their own test, reported skipped without a server.
/// </summary>
public sealed class ReadmeTourTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan LineTimeout = TimeSpan.FromMinutes(5);

    private readonly List<CliProcess> processes = [];

    private static string CliDll => Path.Combine(AppContext.BaseDirectory, "AutoNet.Cli.dll");

    private static string Readme => File.ReadAllText(ReadmeTour.ReadmePath);

    [Fact]
    public void Every_readme_command_line_can_be_run_by_the_tour_test_and_the_tour_covers_every_command()
    {
        var commands = ReadmeTour.Commands(Readme, "/tmp/photos", "Host=localhost");
        for (var i = 0; i < commands.Count; i++)
        {
            var command = commands[i];
            output.WriteLine($"{command}\n    runs as: autonet {string.Join(' ', command.Arguments)}");
            Assert.False(command.NeedsCuda, $"{command}: names a CUDA device, which test machines may not have; keep the tour on the default device (--device auto) and mention cuda in the text");
            Assert.False(command.Line.Contains('…', StringComparison.Ordinal), $"{command}: an elided argument cannot be pasted or run");
            Assert.True(!command.IsWorker || commands.Take(i).Any(c => c.IsController),
                $"{command}: a worker line must follow a search with --remote-slots, which the test runs alongside it");
            Assert.True(!command.RunsWhileSearchRuns || (i > 0 && commands[i - 1] is { Command: "search", IsInterruptedSearch: false, IsController: false }),
                $"{command}: a line run while the search runs must come right after that search");
        }

        // The five-minute tour of the issue: search, watch, leaderboard, compare, evaluate, export, predict, resume, workers.
        Assert.Superset(new HashSet<string> { "doctor", "data", "search", "experiments", "leaderboard", "show", "compare", "evaluate", "export", "predict", "worker" },
            commands.Select(c => c.Command).ToHashSet());
        Assert.Contains(commands, c => c.Option("--resume") is not null);
        Assert.Contains(commands, c => c.IsInterruptedSearch);
        Assert.Contains(commands, c => c.IsController);
        Assert.Contains(commands, c => c.RunsWhileSearchRuns);

        // A substitution no line needs any more means the README changed under the table: the table must follow it.
        foreach (var substitution in ReadmeTour.Substitutions)
        {
            Assert.True(commands.Any(c => c.Substituted.Contains(substitution.Name)), $"the substitution '{substitution.Name}' matches no README line; remove it or fix its pattern");
        }
    }

    [Fact]
    public void The_line_splitter_passes_words_as_a_shell_would_and_refuses_what_a_shell_would_expand()
    {
        var (words, comment, command) = ReadmeTour.Split("""search --store "Host=db;Password=a b" --x 'y z'   # note: it's # fine""", 1, placeholders: false);
        Assert.Equal(["search", "--store", "Host=db;Password=a b", "--x", "y z"], words);
        Assert.Equal("note: it's # fine", comment);
        Assert.Equal("""search --store "Host=db;Password=a b" --x 'y z'""", command);
        Assert.Equal(["predict", "C#"], ReadmeTour.Split("predict C#", 1, placeholders: false).Words);

        foreach (var line in (string[])["search --data ~/photos", "search --data $HOME", "predict m/ *.png", "leaderboard --csv > a.csv", "a; b", "search \"$X\"", "x {photos}", "x 'open"])
        {
            Assert.Throws<FormatException>(() => ReadmeTour.Split(line, 7, placeholders: false));
        }

        var substituted = ReadmeTour.Commands("```sh\n./autonet search --data /data/photos --time-budget 3m --store \"Host=db.example;Database=autonet;Username=autonet;Password=secret\"\n./autonet search\n```\n./autonet outside a fence\n",
            "/p h", "Host=h;Database=d");
        Assert.Equal(2, substituted.Count);
        Assert.Equal(["search", "--data", "/p h", "--max-trials", "3", "--store", "Host=h;Database=d"], substituted[0].Arguments);
        Assert.Equal(["time budget", "database", "shared data path"], substituted[0].Substituted);
        Assert.Equal(["search", "--max-trials", "3", "--search-images", "2000"], substituted[1].Arguments);
        Assert.Throws<FormatException>(() => ReadmeTour.Commands("```sh\n./autonet search \\\n  --data x\n```\n", "", ""));
        Assert.Throws<FormatException>(() => ReadmeTour.Commands("```sh\ntime ./autonet search\n```\n", "", ""));
        Assert.Throws<FormatException>(() => ReadmeTour.Commands("```sh\n./autonet search\n", "", ""));
    }

    [Fact]
    public async Task The_readme_commands_run_in_order_on_an_image_folder_and_each_exits_as_the_readme_says()
    {
        using var folder = new TourFolder();
        var commands = ReadmeTour.Commands(Readme, folder.Photos, "").Where(c => !c.NeedsPostgres).ToList();
        Assert.NotEmpty(commands);
        var photos = Snapshot(folder.Photos);
        var clock = Stopwatch.StartNew();
        await RunAsync(commands, folder.Root);
        output.WriteLine($"{commands.Count} README lines in {clock.Elapsed.TotalSeconds:F0} s");

        // What the README says the tour leaves behind.
        foreach (var file in (string[])["model/model.onnx", "model/weights.safetensors", "model/model.json", "model/README.md", "model/model.py", "predictions.csv"])
        {
            Assert.True(File.Exists(Path.Join(folder.Root, file)), $"{file} was not written");
        }

        // Two evaluate lines, each with its metrics and chart under .autonet/evaluations/.
        var evaluations = Directory.GetDirectories(Path.Join(folder.Root, CliStore.DefaultWorkspace, "evaluations"));
        Assert.Equal(commands.Count(c => c.Command == "evaluate"), evaluations.Length);
        Assert.All(evaluations, e => Assert.True(File.Exists(Path.Join(e, "metrics.json")) && File.Exists(Path.Join(e, "evaluation.png")), e));

        Assert.Equal(13, File.ReadAllLines(Path.Join(folder.Root, "predictions.csv")).Length);
        Assert.Equal(photos, Snapshot(folder.Photos));
        await using var store = await ExperimentStore.OpenAsync(folder.StorePath);
        foreach (var name in (string[])["first", "second", "third"])
        {
            var experiment = await store.GetExperimentAsync(name);
            Assert.True(experiment is { State: ExperimentState.Completed }, $"experiment '{name}' is {experiment?.State.ToString() ?? "missing"}");
        }

        // The interrupted search resumed: its trials all ended, none left waiting.
        var third = (await store.GetExperimentAsync("third"))!;
        Assert.All(await store.ListTrialsAsync(third.Id), t => Assert.True(t.State is TrialState.Completed or TrialState.Pruned, $"trial {t.Number} of third is {t.State}"));
    }

    [PostgresFact]
    public async Task The_readme_worker_machine_lines_run_a_search_on_postgresql_that_a_worker_in_another_folder_joins()
    {
        var server = Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable)!;
        var database = "autonet_readme_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync(server, $"CREATE DATABASE {database}");
        try
        {
            using var folder = new TourFolder();
            var location = new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
            var commands = ReadmeTour.Commands(Readme, folder.Photos, location).Where(c => c.NeedsPostgres).ToList();
            Assert.NotEmpty(commands);
            await RunAsync(commands, folder.Root);

            await using var store = await ExperimentStore.OpenAsync(location);
            var experiments = await store.ListExperimentsAsync();
            Assert.NotEmpty(experiments);
            Assert.All(experiments, e => Assert.Equal(ExperimentState.Completed, e.Experiment.State));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(server, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        }
    }

    public void Dispose()
    {
        foreach (var process in processes)
        {
            process.Dispose();
        }
    }

    /// <summary>
    /// Runs the lines in order. A search followed by a "while the search runs" line runs in the background, and that line
    /// runs once the search trains. A search with --remote-slots runs in the background; each worker line after it starts,
    /// in its own folder (another machine's workspace), once the search trains. Before the next other line (or at the
    /// end) a background search must exit 0 and its workers are stopped with Ctrl-C, exiting 130.
    /// </summary>
    private async Task RunAsync(IReadOnlyList<ReadmeCommand> commands, string root)
    {
        CliProcess? background = null;
        var workers = new List<CliProcess>();
        for (var i = 0; i < commands.Count; i++)
        {
            var command = commands[i];
            var note = command.Substituted.Count == 0 ? "" : $" (substituted: {string.Join(", ", command.Substituted)})";
            output.WriteLine($"{command}{note}");
            var clock = Stopwatch.StartNew();
            if (command.IsController || (command is { Command: "search", IsInterruptedSearch: false } && i + 1 < commands.Count && commands[i + 1].RunsWhileSearchRuns))
            {
                await FinishBackgroundAsync(background, workers);
                workers.Clear();
                background = Launch(command, root);
                continue;
            }

            if (command.IsWorker)
            {
                Assert.True(background is not null, $"{command}: no search with --remote-slots runs for it to join");
                await WaitForOutputAsync(background, "epoch 1/", command);
                var machine = Path.Join(root, $"machine-{workers.Count + 2}");
                Directory.CreateDirectory(machine);
                workers.Add(Launch(command, machine));
                continue;
            }

            if (command.IsServer)
            {
                await FinishBackgroundAsync(background, workers);
                background = null;
                workers.Clear();
                await ServeAndStopAsync(command, root);
                continue;
            }

            var during = command.RunsWhileSearchRuns;
            if (during)
            {
                Assert.True(background is not null, $"{command}: no search runs for it to look at");
                await WaitForOutputAsync(background, "epoch 1/", command);
            }
            else
            {
                await FinishBackgroundAsync(background, workers);
                background = null;
                workers.Clear();
            }

            var process = Launch(command, root);
            var expected = 0;
            if (command.IsInterruptedSearch)
            {
                // "press Ctrl-C during the first trial": once its first epoch is stored.
                await WaitForOutputAsync(process, "trial 1: epoch 1/", command);
                process.Interrupt();
                expected = 130;
            }

            Assert.True(await process.WaitForExitAsync(LineTimeout), $"{command}: still running after {LineTimeout}\n{process.Transcript}");
            var overlap = during ? (background!.HasExited ? " (the search had ended by then)" : " (the search still running)") : "";
            output.WriteLine($"    exit {process.ExitCode} after {clock.Elapsed.TotalSeconds:F1} s{overlap}");
            Assert.True(process.ExitCode == expected, $"{command}: exit {process.ExitCode}, expected {expected}\n{process.Transcript}");
        }

        await FinishBackgroundAsync(background, workers);
    }

    /// <summary>A server line: once it prints its address, its experiments page must list the tour's searches; then Ctrl-C ends it (130).</summary>
    private async Task ServeAndStopAsync(ReadmeCommand command, string root)
    {
        var process = Launch(command, root);
        await WaitForOutputAsync(process, "open http", command);
        var address = process.Stdout.Split('\n').First(l => l.StartsWith("open http", StringComparison.Ordinal))["open ".Length..].Trim();
        using (var http = new HttpClient { BaseAddress = new Uri(address) })
        {
            var experiments = await http.GetStringAsync("/api/experiments");
            Assert.Contains("\"first\"", experiments, StringComparison.Ordinal);
            Assert.Contains("\"second\"", experiments, StringComparison.Ordinal);
        }

        process.Interrupt();
        Assert.True(await process.WaitForExitAsync(TimeSpan.FromMinutes(1)), $"{command}: did not stop on Ctrl-C\n{process.Transcript}");
        Assert.True(process.ExitCode == 130, $"{command}: exit {process.ExitCode} after Ctrl-C, expected 130\n{process.Transcript}");
        output.WriteLine($"    served {address}, stopped by Ctrl-C");
    }

    private async Task FinishBackgroundAsync(CliProcess? controller, List<CliProcess> workers)
    {
        if (controller is null)
        {
            return;
        }

        var all = () => string.Concat(workers.Prepend(controller).Select(p => p.Transcript));
        Assert.True(await controller.WaitForExitAsync(TimeSpan.FromMinutes(8)), "the background search did not finish in 8 minutes\n" + all());
        Assert.True(controller.ExitCode == 0, all());
        foreach (var worker in workers)
        {
            worker.Interrupt();
            Assert.True(await worker.WaitForExitAsync(TimeSpan.FromMinutes(1)), "a worker did not stop on Ctrl-C\n" + all());
            Assert.True(worker.ExitCode == 130, all());
        }

        output.WriteLine(all());
    }

    private CliProcess Launch(ReadmeCommand command, string workingDirectory)
    {
        var process = CliProcess.Start($"README.md:{command.LineNumber}", CliDll, command.Arguments, workingDirectory);
        processes.Add(process);
        return process;
    }

    private static async Task WaitForOutputAsync(CliProcess process, string marker, ReadmeCommand command)
    {
        var clock = Stopwatch.StartNew();
        while (!process.Stdout.Contains(marker, StringComparison.Ordinal))
        {
            Assert.False(process.HasExited, $"{command}: {process.Name} exited before printing '{marker}'\n{process.Transcript}");
            Assert.True(clock.Elapsed < LineTimeout, $"{command}: {process.Name} printed no '{marker}' in {LineTimeout}\n{process.Transcript}");
            await Task.Delay(100);
        }
    }

    /// <summary>Every file under <paramref name="folder"/> with its size and time: "nothing is ever written into it".</summary>
    private static List<string> Snapshot(string folder) =>
        [.. Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => $"{f} {(File.Exists(f) ? new FileInfo(f).Length : -1)} {File.GetLastWriteTimeUtc(f):O}")];

    private static async Task ExecuteAsync(string server, string sql)
    {
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
