using System.CommandLine;
using System.Text.Json;
using AutoNet.Store;

namespace AutoNet.Cli;

/// <summary>
/// `autonet leaderboard [&lt;experiment&gt;] [--top N] [--sort metric] [--state …] [--csv] [--json]`: an experiment's
/// trials ranked by validation or test accuracy (or smallest first by parameters or FLOPs), with their size, epochs,
/// time and strategy. Without a name, the most recent experiment.
/// </summary>
public static class LeaderboardCommand
{
    public static readonly string[] Sorts = ["validation", "test", "params", "flops"];

    public static Command Create()
    {
        var experiment = new Argument<string?>("experiment") { Description = "The experiment (default: the most recent one).", Arity = ArgumentArity.ZeroOrOne };
        var top = new Option<int?>("--top") { Description = "Show at most N trials." };
        var sort = new Option<string>("--sort") { Description = "Rank by validation, test, params or flops.", DefaultValueFactory = _ => "validation" };
        var states = new Option<string[]>("--state") { Description = "Trial states to show (completed, pruned, failed, running, waiting, all); default completed.", AllowMultipleArgumentsPerToken = true };
        var csv = new Option<bool>("--csv") { Description = "Write CSV." };
        var json = new Option<bool>("--json") { Description = "Write JSON for scripts." };
        var store = StoreArguments.Store();
        var workspace = StoreArguments.Workspace();
        var command = new Command("leaderboard", "Rank an experiment's trials by validation or test metrics, with params, FLOPs, epochs, time and strategy.")
        {
            experiment, top, sort, states, csv, json, store, workspace,
        };
        command.SetAction((result, cancellationToken) => CliErrors.RunAsync(() => RunAsync(result.GetValue(experiment), result.GetValue(top), result.GetValue(sort)!,
            result.GetValue(states) ?? [], result.GetValue(csv), result.GetValue(json), StoreArguments.Location(result, store, workspace), cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(string? name, int? top, string sort, string[] states, bool csv, bool json, string location, CancellationToken cancellationToken)
    {
        if (top is < 1)
        {
            throw new CliException($"--top {top}: expected at least 1");
        }

        var query = new LeaderboardQuery(ParseSort(sort), ParseStates(states), top);
        await using var store = await CliStore.OpenExistingAsync(location, cancellationToken).ConfigureAwait(false);
        Experiment experiment;
        if (name is null)
        {
            var all = await store.ListExperimentsAsync(cancellationToken).ConfigureAwait(false);
            experiment = all.Count == 0 ? throw new CliException($"the store {store.Location} has no experiments yet; run `autonet search`") : all[^1].Experiment;
        }
        else
        {
            experiment = await CliStore.ExperimentAsync(store, name, cancellationToken).ConfigureAwait(false);
        }

        var trials = await store.GetLeaderboardAsync(experiment.Id, query, cancellationToken).ConfigureAwait(false);
        var rows = await LeaderboardRow.FromAsync(store, trials, experiment, cancellationToken).ConfigureAwait(false);
        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new { experiment = experiment.Name, sort, trials = rows }, CliJson.Options));
        }
        else if (csv)
        {
            Console.Out.Write(LeaderboardView.Csv(rows));
        }
        else
        {
            Console.Out.WriteLine($"{experiment.Name} ({experiment.State}): {rows.Count} trials by {sort}");
            LeaderboardView.Write(rows, plain: Console.IsOutputRedirected);
        }

        return 0;
    }

    public static LeaderboardSort ParseSort(string sort) => sort.ToLowerInvariant() switch
    {
        "validation" or "val" or "validation_accuracy" => LeaderboardSort.ValidationAccuracy,
        "test" or "test_accuracy" => LeaderboardSort.TestAccuracy,
        "params" or "parameters" => LeaderboardSort.ParameterCount,
        "flops" => LeaderboardSort.Flops,
        _ => throw new CliException($"--sort '{sort}': expected one of {string.Join(", ", Sorts)}"),
    };

    public static IReadOnlyList<TrialState>? ParseStates(IEnumerable<string> states)
    {
        var parsed = new List<TrialState>();
        foreach (var state in states.SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (state.Equals("all", StringComparison.OrdinalIgnoreCase))
            {
                return Enum.GetValues<TrialState>();
            }

            parsed.Add(Enum.TryParse<TrialState>(state, ignoreCase: true, out var value) && Enum.IsDefined(value)
                ? value
                : throw new CliException($"--state '{state}': expected completed, pruned, failed, running, waiting or all"));
        }

        return parsed.Count == 0 ? null : parsed;
    }
}
