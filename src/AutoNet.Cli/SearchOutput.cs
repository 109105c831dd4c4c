using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AutoNet.Data;
using AutoNet.Data.Splits;
using AutoNet.Scheduling;
using AutoNet.Scheduling.Experiments;
using AutoNet.Scheduling.Search;
using AutoNet.Store;
using Spectre.Console;

namespace AutoNet.Cli;

/// <summary>
/// What a search shows while it runs and when it ends: a live Spectre view on a terminal, one plain line per event
/// when stdout is a file or a pipe, or only a JSON summary at the end with --json. Progress is read from the store
/// (the one record every worker writes), so the view shows remote workers' trials too.
/// </summary>
internal sealed class SearchOutput : ISearchObserver
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(1);
    private readonly SearchMode mode;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly Dictionary<long, (TrialState State, long Epochs)> seen = [];

    private SearchOutput(SearchMode mode) => this.mode = mode;

    private enum SearchMode
    {
        Live,
        Plain,
        Json,
    }

    public static SearchOutput Create(SearchRequest request) => new(request.Json ? SearchMode.Json
        : request.Live ?? (!Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive) ? SearchMode.Live : SearchMode.Plain);

    public void Started(SearchSetup setup, IReadOnlyList<DeviceSlot> slots, int threads, int remoteSlots)
    {
        if (mode == SearchMode.Json)
        {
            return;
        }

        var e = setup.Experiment;
        var split = setup.Data.Split;
        var plan = setup.Data.Plan;
        Line($"{(setup.Resumed ? "resuming" : "experiment")} {e.Name} (store {e.Id}: {e.Strategy} over {e.SearchSpaceName}, {e.Scheduler}, seed {e.Seed})");
        Line(Text($"data {e.DataSource}: {split.ClassNames.Count} classes; {split.Count(SplitPart.Train):N0} train / {split.Count(SplitPart.Validation):N0} validation / {split.Count(SplitPart.Test):N0} test images at {plan.Resolution} px"));
        foreach (var reason in setup.Reasons)
        {
            Line("  " + reason);
        }

        var budget = plan.Budget;
        Line(Text($"budget: {(budget.WallTime is { } w ? Durations.Format(w) : "no time limit")}, {(budget.MaxTrials is { } t ? $"{t} trials" : "any number of trials")}, {(budget.MaxEpochs is { } x ? $"{x} epochs in all" : "no epoch limit")}"));
        if (plan.SearchTrainImages is { } images && images < split.Count(SplitPart.Train))
        {
            var validation = split.Count(SplitPart.Validation);
            Line(Text($"search trials train on a stratified subset of {images:N0} of the {split.Count(SplitPart.Train):N0} training images and validate on {SearchPlan.SearchValidationImages(images, validation):N0} of the {validation:N0} validation images"));
        }

        if (plan.FinalTrainingSeconds is { } final)
        {
            Line(Text($"then the winner is trained again on all training images for {Durations.Format(TimeSpan.FromSeconds(final))}"));
        }
        Line($"devices: {string.Join(", ", slots)} ({threads} torch threads)" + (remoteSlots > 0 ? $", and {remoteSlots} trial slot(s) kept for joining workers" : string.Empty));
    }

    /// <summary>One line of news between the phases of a search (not in --json mode).</summary>
    public void Note(string line)
    {
        if (mode != SearchMode.Json)
        {
            Line(line);
        }
    }

    public IProgress<DataProgress>? CacheProgress()
    {
        if (mode != SearchMode.Json)
        {
            Line("decoding images into the cache (once per data set and resolution)…");
        }

        return null;
    }

    public Task WatchAsync(IExperimentStore store, Experiment experiment, SearchCoordinator coordinator, CancellationToken cancellationToken) => mode switch
    {
        SearchMode.Live => LiveAsync(store, experiment, coordinator, cancellationToken),
        SearchMode.Plain => PlainAsync(store, experiment, cancellationToken),
        _ => Task.CompletedTask,
    };

    public async Task FinishedAsync(IExperimentStore store, SearchSetup setup, SearchSummary summary, SearchRequest request, CancellationToken cancellationToken)
    {
        var experiment = setup.Experiment;
        var trials = await store.ListTrialsAsync(experiment.Id, null, cancellationToken).ConfigureAwait(false);
        var ranked = await store.GetLeaderboardAsync(experiment.Id, new LeaderboardQuery(States: [TrialState.Completed, TrialState.Pruned], Top: 10), cancellationToken)
            .ConfigureAwait(false);
        var rows = await LeaderboardRow.FromAsync(store, ranked, experiment, cancellationToken).ConfigureAwait(false);
        var chosen = SearchWinner.Choose(trials);
        var winner = chosen?.Trial;
        var storeOption = request.Store is null ? string.Empty : $" --store {Quote(request.Store)}";
        var next = summary.Interrupted
            ? new[] { $"autonet search --resume {experiment.Name}{storeOption}", $"autonet leaderboard {experiment.Name}{storeOption}" }
            : [$"autonet leaderboard {experiment.Name}{storeOption}", $"autonet experiments{storeOption}"];
        if (mode == SearchMode.Json)
        {
            var report = new
            {
                experiment = experiment.Name,
                store = store.Location,
                state = summary.Interrupted ? "Stopped" : "Completed",
                interrupted = summary.Interrupted,
                space = experiment.SearchSpaceName,
                strategy = experiment.Strategy,
                scheduler = experiment.Scheduler,
                resolution = setup.Data.Plan.Resolution,
                reasons = setup.Reasons,
                elapsedSeconds = summary.Elapsed.TotalSeconds,
                session = new { summary.TrialsStarted, summary.Completed, summary.Pruned, summary.Failed, summary.EpochsTrained },
                trials = new
                {
                    total = trials.Count,
                    completed = trials.Count(t => t.State == TrialState.Completed),
                    pruned = trials.Count(t => t.State == TrialState.Pruned),
                    failed = trials.Count(t => t.State == TrialState.Failed),
                    waiting = trials.Count(t => t.State is TrialState.Waiting or TrialState.Running),
                    epochs = trials.Sum(t => t.EpochsDone),
                },
                winner = winner is null ? null : (await LeaderboardRow.FromAsync(store, [winner], experiment, cancellationToken).ConfigureAwait(false))[0],
                winnerKind = chosen?.Kind.ToString(),
                winnerReason = chosen?.Describe(),
                leaderboard = rows,
                next,
            };
            Console.Out.WriteLine(JsonSerializer.Serialize(report, CliJson.Options));
            return;
        }

        Line(string.Empty);
        Line(Text($"{(summary.Interrupted ? "stopped" : "finished")} after {Durations.Format(summary.Elapsed)}: {trials.Count} trials in the experiment ({trials.Count(t => t.State == TrialState.Completed)} completed, {trials.Count(t => t.State == TrialState.Pruned)} pruned, {trials.Count(t => t.State == TrialState.Failed)} failed, {trials.Count(t => !t.IsFinished)} unfinished), {trials.Sum(t => t.EpochsDone)} epochs"));
        if (ranked.Count > 0)
        {
            LeaderboardView.Write(rows, plain: mode != SearchMode.Live);
        }

        if (winner is not null)
        {
            Line(Text($"winner: {chosen!.Describe()}, validation accuracy {winner.BestValidationAccuracy:P2}, test accuracy {(winner.TestAccuracy is { } a ? a.ToString("P2", CultureInfo.InvariantCulture) : "-")}, {winner.ParameterCount:N0} parameters"));
            Line($"  {winner.HyperparametersJson}");
        }
        else
        {
            Line(summary.Interrupted ? "no trial has a validation score yet" : "no trial trained a whole epoch, so there is no model to hand over; give the search more time");
        }

        if (summary.Interrupted)
        {
            Line("interrupted: running trials stopped at their last checkpoint; the experiment can be resumed");
        }

        Line("next:");
        foreach (var command in next)
        {
            Line("  " + command);
        }
    }

    private async Task PlainAsync(IExperimentStore store, Experiment experiment, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Refresh, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            // One last read after the stop, so the final epochs and states are printed too.
            foreach (var trial in await store.ListTrialsAsync(experiment.Id, null, CancellationToken.None).ConfigureAwait(false))
            {
                var before = seen.GetValueOrDefault(trial.Id, (TrialState.Waiting, 0));
                if (before == (trial.State, trial.EpochsDone))
                {
                    continue;
                }

                seen[trial.Id] = (trial.State, trial.EpochsDone);
                if (trial.EpochsDone > before.Item2)
                {
                    var epochs = await store.GetEpochMetricsAsync(trial.Id, CancellationToken.None).ConfigureAwait(false);
                    foreach (var epoch in epochs.Where(m => m.Epoch > before.Item2))
                    {
                        Line(Text($"[{Durations.Format(clock.Elapsed),7}] trial {trial.Number}: epoch {epoch.Epoch}/{MaxEpochs(trial)} validation accuracy {epoch.ValidationAccuracy:F4} ({epoch.Seconds:F1} s)"));
                    }
                }

                if (trial.IsFinished && before.Item1 != trial.State)
                {
                    Line(Text($"[{Durations.Format(clock.Elapsed),7}] trial {trial.Number}: {trial.State.ToString().ToLowerInvariant()}, best validation accuracy {trial.BestValidationAccuracy:F4}")
                        + (trial.TestAccuracy is { } test ? Text($", test accuracy {test:F4}") : string.Empty)
                        + (trial.FailureReason is { } reason ? $" ({reason})" : string.Empty));
                }
            }
        }
    }

    private async Task LiveAsync(IExperimentStore store, Experiment experiment, SearchCoordinator coordinator, CancellationToken cancellationToken)
    {
        await AnsiConsole.Live(new Markup("starting…")).AutoClear(false).StartAsync(async context =>
        {
            while (true)
            {
                var trials = await store.ListTrialsAsync(experiment.Id, null, CancellationToken.None).ConfigureAwait(false);
                var running = new List<(Trial Trial, double SecondsPerEpoch)>();
                foreach (var trial in trials.Where(t => t.State == TrialState.Running))
                {
                    var epochs = await store.GetEpochMetricsAsync(trial.Id, CancellationToken.None).ConfigureAwait(false);
                    running.Add((trial, epochs.Count == 0 ? double.NaN : epochs.Average(m => m.Seconds)));
                }

                context.UpdateTarget(LiveView(experiment, trials, running, coordinator.Best));
                context.Refresh();
                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                try
                {
                    await Task.Delay(Refresh, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }).ConfigureAwait(false);
    }

    private Rows LiveView(Experiment experiment, IReadOnlyList<Trial> trials, List<(Trial Trial, double SecondsPerEpoch)> running, BestTrial? best)
    {
        var header = new Markup(Markup.Escape(Text(
            $"{experiment.Name}: {experiment.Strategy} over {experiment.SearchSpaceName}, {experiment.Scheduler} · {Durations.Format(clock.Elapsed)} · {trials.Count} trials ({trials.Count(t => t.State == TrialState.Completed)} completed, {trials.Count(t => t.State == TrialState.Pruned)} pruned, {trials.Count(t => t.State == TrialState.Failed)} failed)")));
        var table = new Table().Border(TableBorder.Rounded).Title("running");
        table.AddColumns("trial", "device", "epochs", "validation", "ETA");
        foreach (var (trial, perEpoch) in running)
        {
            var max = MaxEpochs(trial);
            var filled = (int)Math.Round(20.0 * trial.EpochsDone / Math.Max(1, max));
            var eta = double.IsNaN(perEpoch) ? "-" : Durations.Format(TimeSpan.FromSeconds(perEpoch * (max - trial.EpochsDone)));
            table.AddRow(trial.Number.ToString(CultureInfo.InvariantCulture), Markup.Escape(trial.Device ?? "-"),
                $"[green]{new string('█', filled)}[/][grey]{new string('░', 20 - filled)}[/] {trial.EpochsDone}/{max}",
                trial.BestValidationAccuracy is { } v ? v.ToString("P2", CultureInfo.InvariantCulture) : "-", eta);
        }

        var bestLine = new Markup(best is null ? "[grey]best so far: none yet[/]"
            : Markup.Escape(Text($"best so far: trial {best.TrialNumber}, validation accuracy {best.ValidationAccuracy:P2} (epoch {best.Epoch})")));
        var board = new Table().Border(TableBorder.Simple).Title("leaderboard");
        board.AddColumns("#", "trial", "state", "validation", "test", "params", "epochs");
        var rank = 0;
        foreach (var trial in trials.Where(t => t.BestValidationAccuracy is not null).OrderByDescending(t => t.BestValidationAccuracy).ThenBy(t => t.Number).Take(5))
        {
            board.AddRow((++rank).ToString(CultureInfo.InvariantCulture), trial.Number.ToString(CultureInfo.InvariantCulture), trial.State.ToString(),
                trial.BestValidationAccuracy!.Value.ToString("P2", CultureInfo.InvariantCulture),
                trial.TestAccuracy is { } t ? t.ToString("P2", CultureInfo.InvariantCulture) : "-",
                trial.ParameterCount is { } p ? p.ToString("N0", CultureInfo.InvariantCulture) : "-", trial.EpochsDone.ToString(CultureInfo.InvariantCulture));
        }

        return new Rows(header, table, bestLine, board, new Markup("[grey]Ctrl-C stops gracefully; the experiment can be resumed[/]"));
    }

    private static int MaxEpochs(Trial trial)
    {
        try
        {
            return AutoNet.Scheduling.Store.ExperimentStoreLedger.MaxEpochs(trial.HyperparametersJson);
        }
        catch (ArgumentException)
        {
            return (int)trial.EpochsDone;
        }
    }

    private static string Quote(string text) => text.IndexOfAny([' ', ';', '&', '|', '<', '>', '$', '\'', '"']) >= 0 ? $"'{text.Replace("'", "'\\''", StringComparison.Ordinal)}'" : text;

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static void Line(string text)
    {
        Console.Out.WriteLine(text);
        Console.Out.Flush();
    }
}
