using System.Globalization;
using AutoNet.Data.Splits;
using AutoNet.Search.Spaces;
using AutoNet.Store;

namespace AutoNet.Scheduling.Experiments;

/// <summary>
/// The final training of a search's winner (see <see cref="ChooseWinner"/>), trained
/// again from scratch with its architecture and hyperparameters on every training image, for the whole number of epochs nearest to what fits in
/// the plan's <see cref="SearchPlan.FinalTrainingSeconds"/>, or in the time left of a whole budget when the search was
/// given an end (<see cref="ExperimentSearchOptions.FinalTrainingEndsBy"/>). Its learning-rate schedule stretches over the longer run.
/// The epoch count comes from the winner's own epochs in the search (median seconds per epoch, scaled by how much more
/// work an epoch on every training image is), so a slow architecture gets fewer epochs rather than overrunning the budget.
/// </summary>
/// <param name="Winner">The search trial it retrains.</param>
/// <param name="Epochs">Epochs of the final training.</param>
/// <param name="SecondsPerEpoch">The estimate the epoch count came from.</param>
/// <param name="Proposal">The trial to add (role <see cref="TrialRole.Final"/>).</param>
/// <param name="Seconds">The time the epochs were fitted to.</param>
/// <param name="TimeLeft">True when <paramref name="Seconds"/> is what was left of the whole budget, not the plan's share.</param>
public sealed record FinalTraining(Trial Winner, int Epochs, double SecondsPerEpoch, TrialProposal Proposal, double Seconds, bool TimeLeft)
{
    /// <summary>Upper bound on the epochs, whatever the time allows (a schedule this long gains nothing more).</summary>
    public const int MaxEpochs = 200;

    /// <summary>
    /// The final training for <paramref name="experiment"/>, fitted to <paramref name="timeLeft"/> when given (the rest of
    /// a whole budget; never under one epoch), else to the plan's final-training time; null when no search trial has a
    /// score (nothing to retrain).
    /// </summary>
    public static async Task<FinalTraining?> PlanAsync(IExperimentStore store, Experiment experiment, ExperimentData data, TimeSpan? timeLeft,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(data);
        var planned = data.Plan.FinalTrainingSeconds
            ?? throw new InvalidOperationException($"experiment '{experiment.Name}' has no final training in its plan");
        var seconds = timeLeft is { } left ? Math.Max(0, left.TotalSeconds) : planned;
        var trials = await store.ListTrialsAsync(experiment.Id, null, cancellationToken).ConfigureAwait(false);
        if (ChooseWinner(trials) is not { } winner)
        {
            return null;
        }

        var epochs = await store.GetEpochMetricsAsync(winner.Id, cancellationToken).ConfigureAwait(false);
        var perEpoch = Median(epochs.Select(e => e.Seconds).Where(s => s > 0).ToList());
        var allImages = data.Split.Count(SplitPart.Train);
        var searched = Math.Min(allImages, data.Plan.SearchTrainImages ?? allImages);
        // An epoch is a training pass (forward and backward, about three forward passes per image) and a validation
        // pass (forward, twice with the test-time flip); only the first grows with the training images. Scaling the
        // whole epoch by the image ratio instead put the reference search's final epoch at 156 s; it took 111 s.
        // Search trials on a subset also validate on a subset (SearchPlan.SearchValidationImages); the final training on all.
        var validation = data.Split.Count(SplitPart.Validation);
        var searchedValidation = searched < allImages ? SearchPlan.SearchValidationImages(searched, validation) : validation;
        static double Work(int trainImages, int validationImages) => (3.0 * trainImages) + (2.0 * validationImages);
        var estimate = perEpoch * Work(allImages, validation) / Work(Math.Max(1, searched), searchedValidation);
        // The nearest whole number of epochs: a budget worth 1.7 epochs trains two, not one (it may overrun by half an
        // epoch). The time left of a whole budget is a limit, so there only whole epochs that fit: the reference hour,
        // 2,160 s left at 136 s an epoch, trained the nearest 16, its epochs grew to 140 s and it ended 36 s past the hour.
        var epochsFitting = estimate > 0 ? seconds / estimate : 1;
        var count = (int)Math.Clamp(timeLeft is null ? Math.Round(epochsFitting, MidpointRounding.AwayFromZero) : Math.Floor(epochsFitting), 1, MaxEpochs);

        var sample = SearchSample.FromJson(winner.HyperparametersJson).With(SpaceLabels.Epochs, count);
        var proposal = new TrialProposal(winner.GenotypeJson, winner.GenotypeHash, sample.ToJson(indented: false), count)
        {
            ParameterCount = winner.ParameterCount,
            Flops = winner.Flops,
            Role = TrialRole.Final,
        };
        return new FinalTraining(winner, count, estimate, proposal, seconds, timeLeft is not null);
    }

    /// <summary>
    /// The search trial to retrain: the completed one with the best validation accuracy; when the budget ended before
    /// any trial completed, the one early stopping let train furthest (the survivor of the most rungs), best score
    /// first. Null when no search trial has a score.
    /// </summary>
    public static Trial? ChooseWinner(IEnumerable<Trial> trials)
    {
        ArgumentNullException.ThrowIfNull(trials);
        var scored = trials.Where(t => t.Role == TrialRole.Search && t.BestValidationAccuracy is not null && t.State != TrialState.Failed).ToList();
        var completed = scored.Where(t => t.State == TrialState.Completed).ToList();
        return (completed.Count > 0 ? completed : scored)
            .OrderByDescending(t => completed.Count > 0 ? 0 : t.EpochsDone).ThenByDescending(t => t.BestValidationAccuracy).ThenBy(t => t.Number)
            .FirstOrDefault();
    }

    /// <summary>One line for the terminal: what is retrained, how long, and why that long.</summary>
    public string Describe(int trainImages) => string.Create(CultureInfo.InvariantCulture,
        $"final training: trial {Winner.Number} (validation accuracy {Winner.BestValidationAccuracy:P2}) again from scratch on all {trainImages:N0} training images for {Epochs} epochs (about {SecondsPerEpoch:F0} s each{(TimeLeft ? $", in the {TrialLengthFit.Format(Seconds)} left of the time budget" : string.Empty)})");

    private static double Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        values.Sort();
        return values[values.Count / 2];
    }
}
