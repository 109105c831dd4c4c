using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AutoNet.Cli.Inspection;
using AutoNet.Data;
using AutoNet.Scheduling.Experiments;
using AutoNet.Store;

namespace AutoNet.Cli;

/// <summary>
/// `autonet show &lt;trial|best&gt; [--experiment name] [--diagram file.dot] [--json]`: one trial in full — state and failure reason,
/// worker, timings, size, genotype (with a cell diagram for cell spaces), hyperparameters, per-epoch metrics with a learning
/// curve, and test metrics. With --experiment the trial is its number there (the leaderboard's trial column); without, the
/// store-wide trial id. <c>best</c> is the completed trial with the highest validation accuracy of --experiment (default: the
/// most recent experiment), the one `autonet export best` and `autonet evaluate best` take.
/// </summary>
public static class ShowCommand
{
    public static Command Create()
    {
        var trial = new Argument<string>("trial")
        {
            Description = "The trial: its number in --experiment, or without --experiment its store-wide id; or 'best' (highest validation accuracy of --experiment, default the most recent one).",
        };
        var experiment = new Option<string?>("--experiment") { Description = "The experiment the trial number belongs to." };
        var diagram = new Option<string?>("--diagram") { Description = "Write the cell diagram to this new .dot file (and .svg beside it) instead of the trial's folder." };
        var json = new Option<bool>("--json") { Description = "Write JSON for scripts." };
        var store = StoreArguments.Store();
        var workspace = StoreArguments.Workspace();
        var command = new Command("show", "Show one trial: genotype, hyperparameters, learning curve, cell diagram file, timings, failure reason.")
        {
            trial, experiment, diagram, json, store, workspace,
        };
        command.SetAction((result, cancellationToken) => CliErrors.RunAsync(() => RunAsync(result.GetValue(trial)!, result.GetValue(experiment),
            result.GetValue(diagram), result.GetValue(json), StoreArguments.Location(result, store, workspace), result.GetValue(workspace)!, cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(string trial, string? experiment, string? diagram, bool json, string location, string workspace,
        CancellationToken cancellationToken)
    {
        await using var store = await CliStore.OpenExistingAsync(location, cancellationToken).ConfigureAwait(false);
        var report = await ReportAsync(store, trial, experiment, workspace, diagram, cancellationToken).ConfigureAwait(false);
        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(report, CliJson.Options));
        }
        else
        {
            ShowView.Write(report, plain: Console.IsOutputRedirected);
        }

        return 0;
    }

    /// <summary>
    /// The report of the trial <paramref name="reference"/> names: <c>best</c>, or a number (in <paramref name="experimentName"/>
    /// when given, else the store-wide id).
    /// </summary>
    public static async Task<TrialReport> ReportAsync(IExperimentStore store, string reference, string? experimentName, string workspace, string? diagram,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Equals(StoredTrialModel.Best, StringComparison.OrdinalIgnoreCase))
        {
            var experiment = await StoredTrialModel.ExperimentAsync(store, experimentName, cancellationToken).ConfigureAwait(false);
            var best = await StoredTrialModel.TrialAsync(store, experiment, reference, cancellationToken).ConfigureAwait(false);
            return await ReportAsync(store, best, experiment, workspace, diagram, cancellationToken).ConfigureAwait(false);
        }

        return long.TryParse(reference, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? await ReportAsync(store, number, experimentName, workspace, diagram, cancellationToken).ConfigureAwait(false)
            : throw new CliException($"trial '{reference}': expected a trial number (as the leaderboard shows it) or 'best'");
    }

    /// <summary>The trial's report; for a cell-space trial its diagram is written to <paramref name="diagram"/> or into the trial's folder when that exists.</summary>
    public static async Task<TrialReport> ReportAsync(IExperimentStore store, long trial, string? experimentName, string workspace, string? diagram,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var (found, experiment) = await FindAsync(store, trial, experimentName, cancellationToken).ConfigureAwait(false);
        return await ReportAsync(store, found, experiment, workspace, diagram, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<TrialReport> ReportAsync(IExperimentStore store, Trial found, Experiment experiment, string workspace, string? diagram,
        CancellationToken cancellationToken)
    {
        var epochs = await store.GetEpochMetricsAsync(found.Id, cancellationToken).ConfigureAwait(false);
        var report = CliStore.ReadStored(store, $"trial {found.Number} of '{experiment.Name}'", () => TrialReport.From(found, experiment, epochs));
        if (report.Genotype is not { } genotype)
        {
            return diagram is null ? report : throw new CliException($"--diagram: trial {found.Number} of '{experiment.Name}' is not from a cell space, so it has no cell diagram");
        }

        if (diagram is not null)
        {
            WorkspaceGuard.EnsureOutside(diagram, experiment.DataSource);
            return report with { Diagram = TrialDiagram.WriteToPath(genotype, diagram) };
        }

        var folder = TrialRequestFactory.TrialDirectory(workspace, experiment.Name, found.Number);
        return Directory.Exists(folder)
            ? report with { Diagram = TrialDiagram.WriteToTrialFolder(genotype, folder) }
            : report with { DiagramNote = $"no diagram written: the trial's folder {folder} does not exist (is --workspace right?); name a file with --diagram <file.dot>" };
    }

    private static async Task<(Trial Trial, Experiment Experiment)> FindAsync(IExperimentStore store, long trial, string? experimentName, CancellationToken cancellationToken)
    {
        if (experimentName is not null)
        {
            var experiment = await CliStore.ExperimentAsync(store, experimentName, cancellationToken).ConfigureAwait(false);
            var trials = await store.ListTrialsAsync(experiment.Id, cancellationToken: cancellationToken).ConfigureAwait(false);
            return trials.FirstOrDefault(t => t.Number == trial) is { } numbered
                ? (numbered, experiment)
                : throw new CliException($"experiment '{experiment.Name}' has no trial {trial}; "
                    + (trials.Count == 0 ? "it has no trials yet" : string.Create(CultureInfo.InvariantCulture, $"its trials are numbered {trials[0].Number} to {trials[^1].Number}")));
        }

        var byId = await store.GetTrialAsync(trial, cancellationToken).ConfigureAwait(false)
            ?? throw new CliException($"no trial with id {trial} in the store {store.Location}; to name a trial by its number in an experiment (the leaderboard's trial column), add --experiment <name>");
        var owner = (await store.ListExperimentsAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(s => s.Experiment.Id == byId.ExperimentId)
            ?? throw new CliException($"trial id {trial} belongs to experiment id {byId.ExperimentId}, which is not in the store {store.Location}");
        return (byId, owner.Experiment);
    }
}
