using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace AutoNet.Cli;

/// <summary>`autonet experiments`: every experiment of a store with its state, trial counts and best scores.</summary>
public static class ExperimentsCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Write JSON for scripts." };
        var store = StoreArguments.Store();
        var workspace = StoreArguments.Workspace();
        var command = new Command("experiments", "List experiments with state (and why a failed one failed), trial counts and best score.") { json, store, workspace };
        command.SetAction((result, cancellationToken) => CliErrors.RunAsync(() =>
            RunAsync(result.GetValue(json), StoreArguments.Location(result, store, workspace), cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(bool json, string location, CancellationToken cancellationToken)
    {
        await using var store = await CliStore.OpenExistingAsync(location, cancellationToken).ConfigureAwait(false);
        var experiments = await store.ListExperimentsAsync(cancellationToken).ConfigureAwait(false);
        var rows = experiments.Select(s => new
        {
            name = s.Experiment.Name,
            state = s.Experiment.State.ToString(),
            failureReason = s.Experiment.FailureReason,
            searchSeconds = s.Experiment.SearchSeconds,
            data = s.Experiment.DataSource,
            space = s.Experiment.SearchSpaceName,
            strategy = s.Experiment.Strategy,
            scheduler = s.Experiment.Scheduler,
            trials = s.Trials.Total,
            completed = s.Trials.Completed,
            pruned = s.Trials.Pruned,
            failed = s.Trials.Failed,
            unfinished = s.Trials.Waiting + s.Trials.Running,
            bestValidationAccuracy = s.BestValidationAccuracy,
            bestTestAccuracy = s.BestTestAccuracy,
            created = s.Experiment.CreatedAt,
        }).ToList();
        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new { store = store.Location, experiments = rows }, CliJson.Options));
            return 0;
        }

        if (rows.Count == 0)
        {
            Console.Out.WriteLine($"no experiments in {store.Location}; start one with `autonet search`");
            return 0;
        }

        string[] header = ["name", "state", "space", "strategy", "trials", "completed", "pruned", "failed", "unfinished", "best val", "best test"];
        var cells = rows.Select(r => new[]
        {
            r.name, r.state, r.space, r.strategy, N(r.trials), N(r.completed), N(r.pruned), N(r.failed), N(r.unfinished),
            r.bestValidationAccuracy?.ToString("F4", CultureInfo.InvariantCulture) ?? "-", r.bestTestAccuracy?.ToString("F4", CultureInfo.InvariantCulture) ?? "-",
        }).ToList();
        if (Console.IsOutputRedirected)
        {
            var widths = header.Select((h, i) => Math.Max(h.Length, cells.Max(c => c[i].Length))).ToArray();
            Console.Out.WriteLine(string.Join("  ", header.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
            foreach (var row in cells)
            {
                Console.Out.WriteLine(string.Join("  ", row.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
            }
        }
        else
        {
            var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(store.Location));
            table.AddColumns(header);
            foreach (var row in cells)
            {
                table.AddRow(row.Select(Markup.Escape).ToArray());
            }

            AnsiConsole.Write(table);
        }

        foreach (var failed in rows.Where(r => r.failureReason is not null))
        {
            Console.Out.WriteLine($"{failed.name} failed: {failed.failureReason}");
        }

        return 0;
    }

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}
