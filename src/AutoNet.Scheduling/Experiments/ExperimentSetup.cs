using System.Globalization;
using AutoNet.Data.Splits;
using AutoNet.Search.Spaces;
using AutoNet.Store;

namespace AutoNet.Scheduling.Experiments;

/// <summary>
/// Makes the search of an experiment ready to run: a new one stored from its draft (its trial lengths first fitted
/// to a time budget on this machine's device), or a stored one read back for a resume, with any new budget.
/// </summary>
public static class ExperimentSetup
{
    /// <summary>
    /// Stores the drafted experiment. With a time budget, a few architectures of the space are timed on
    /// <paramref name="probeDevice"/> first; with a final training, the space's networks are bounded to those the final
    /// training affords (<see cref="FinalTrainingFit"/>); then the space's epoch range is capped so trials finish within the budget
    /// (<paramref name="note"/> hears that it is timing, the reasons list why the range was capped).
    /// </summary>
    public static async Task<SearchSetup> CreateAsync(IExperimentStore store, ExperimentDraft draft, string workspace, string probeDevice, Action<string> note,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(note);
        var (space, spaceJson) = (draft.Space, draft.SpaceJson);
        var reasons = draft.Reasons.ToList();
        if (draft.Plan.WallTimeSeconds is { } seconds)
        {
            // Trials as long as the space allows would not finish within a short budget: cap them to what fits here.
            note(string.Create(CultureInfo.InvariantCulture,
                $"timing {TrialLengthFit.ProbedArchitectures} architectures of '{space.Name}' on {probeDevice} to fit trial lengths to the budget…"));
            var (train, validation) = (draft.Split.Count(SplitPart.Train), draft.Split.Count(SplitPart.Validation));
            var shape = draft.Plan.SearchTrainImages is { } subset && subset < train
                ? new TrialDataShape(draft.Channels, draft.Listing.ClassNames.Count, draft.Plan.Resolution, subset, SearchPlan.SearchValidationImages(subset, validation))
                : new TrialDataShape(draft.Channels, draft.Listing.ClassNames.Count, draft.Plan.Resolution, train, validation);
            var probes = TrialLengthFit.Probe(space, shape, draft.Seed, TorchDevices.Parse(probeDevice), draft.Transfer);
            if (probes.Count > 0)
            {
                var secondsPerImage = TrialLengthFit.MedianSecondsPerImage(probes);
                if (draft.Plan.FinalTrainingSeconds is { } final && FinalTrainingFit.Plan(space, spaceJson,
                    new TrialDataShape(draft.Channels, draft.Listing.ClassNames.Count, draft.Plan.Resolution, train, validation), TimeSpan.FromSeconds(final), probes, draft.Seed) is { } bound)
                {
                    // The search now trains only networks its final training can afford; its typical one is smaller,
                    // so the probes under the bound (or, when none is, the bound's speed) time its trials.
                    reasons.Add(bound.Reason);
                    spaceJson = bound.SpaceJson;
                    space = new SearchSpaceReader().Parse(spaceJson, draft.SpacePath);
                    var under = probes.Where(p => 2 * p.MultiplyAdds <= bound.MaxFlops).ToList();
                    secondsPerImage = under.Count > 0 ? TrialLengthFit.MedianSecondsPerImage(under) : bound.SecondsPerImagePerMultiplyAdd * bound.MaxFlops / 2;
                }

                if (TrialLengthFit.Plan(space, spaceJson, shape, TimeSpan.FromSeconds(seconds), secondsPerImage) is { } fit)
                {
                    reasons.Add(fit.Reason);
                    spaceJson = fit.SpaceJson;
                    space = new SearchSpaceReader().Parse(spaceJson, draft.SpacePath);
                }
            }
        }

        var data = new ExperimentData(workspace, draft.Listing, draft.Split, draft.Plan);
        var experiment = await store.CreateExperimentAsync(new NewExperiment(draft.Name, draft.Source, draft.Split.ToJson(), space.Name, spaceJson,
            draft.Strategy, draft.Scheduler, draft.Plan.ToJson(), draft.Seed), cancellationToken).ConfigureAwait(false);
        if (TrainingWorkers.InputShelf(store) is { } inputs)
        {
            // Workers on other machines may not have the pretrained weights or package this machine pinned.
            await inputs.KeepAsync(experiment.Id, space, cancellationToken).ConfigureAwait(false);
        }
        return new SearchSetup(experiment, space, data, Resumed: false, draft.Demo, reasons);
    }

    /// <summary>
    /// A stored experiment read back to go on: its space and data as stored; a budget given now replaces the stored
    /// one (each of <paramref name="wallTime"/>, <paramref name="maxTrials"/>, <paramref name="maxEpochs"/> that is given).
    /// </summary>
    public static SearchSetup Resume(Experiment experiment, string workspace, TimeSpan? wallTime, int? maxTrials, long? maxEpochs)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        var space = new SearchSpaceReader().Parse(experiment.SearchSpaceJson, $"experiment '{experiment.Name}' space");
        var data = ExperimentData.For(experiment, workspace);
        if (wallTime is not null || maxTrials is not null || maxEpochs is not null)
        {
            // A resumed search may be given more budget; the rest of the plan stays as stored.
            var plan = data.Plan with
            {
                WallTimeSeconds = wallTime?.TotalSeconds ?? data.Plan.WallTimeSeconds,
                MaxTrials = maxTrials ?? data.Plan.MaxTrials,
                MaxEpochs = maxEpochs ?? data.Plan.MaxEpochs,
            };
            data = new ExperimentData(workspace, data.Listing, data.Split, plan);
        }

        return new SearchSetup(experiment, space, data, Resumed: true, Demo: false, [$"resuming experiment '{experiment.Name}' ({experiment.State})"]);
    }
}
