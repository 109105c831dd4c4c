using System.Text.Json;
using AutoNet.Search.MultiFidelity;
using AutoNet.Store;

namespace AutoNet.Scheduling.Store;

/// <summary>
/// The scheduler's view of AutoNet.Store: trial rows, claims, heartbeats, epochs and final states, mapped one to one
/// onto <see cref="IExperimentStore"/>. A trial's epoch budget is read from its hyperparameters (<c>epochs</c>), the
/// one place the store keeps it.
/// </summary>
public sealed class ExperimentStoreLedger(IExperimentStore store) : ITrialLedger
{
    /// <summary>The owner name under which the coordinator closes trials left paused at a rung.</summary>
    public const string CoordinatorOwner = "coordinator";

    private static readonly TimeSpan WaitingOnly = TimeSpan.FromDays(36500);

    public async Task<(long TrialId, int TrialNumber)> AddTrialAsync(long experimentId, TrialProposal proposal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        var epochs = MaxEpochs(proposal.HyperparametersJson);
        if (epochs != proposal.MaxEpochs)
        {
            throw new ArgumentException($"trial proposal: MaxEpochs = {proposal.MaxEpochs} but its hyperparameters say epochs = {epochs}");
        }

        var trial = await store.AddTrialAsync(experimentId,
            new NewTrial(proposal.GenotypeJson, proposal.GenotypeHash, proposal.HyperparametersJson, proposal.ParameterCount, proposal.Flops, proposal.Role),
            cancellationToken).ConfigureAwait(false);
        return (trial.Id, checked((int)trial.Number));
    }

    public async Task<TrialClaim> ClaimAsync(long trialId, string workerId, string device, TimeSpan staleAfter, CancellationToken cancellationToken)
    {
        if (await store.ClaimTrialAsync(trialId, workerId, device, staleAfter, cancellationToken).ConfigureAwait(false) is { } claimed)
        {
            return new TrialClaim(TrialClaimStatus.Claimed, (int)claimed.EpochsDone, UnendedRuns: (int)claimed.UnendedRuns);
        }

        return await store.GetTrialAsync(trialId, cancellationToken).ConfigureAwait(false) switch
        {
            null => new TrialClaim(TrialClaimStatus.NotFound, 0),
            { IsFinished: true } done => new TrialClaim(TrialClaimStatus.Finished, (int)done.EpochsDone, EndState(done.State), done.BestValidationAccuracy),
            // Running under a live worker, or its experiment is not running (stopped): not ours to run now.
            var other => new TrialClaim(TrialClaimStatus.HeldByLiveWorker, (int)other.EpochsDone),
        };
    }

    public Task<bool> HeartbeatAsync(long trialId, string workerId, CancellationToken cancellationToken) =>
        store.HeartbeatAsync(trialId, workerId, cancellationToken);

    public Task<bool> ReportEpochAsync(long trialId, string workerId, Training.EpochMetrics metrics, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return Owned(() => store.ReportEpochAsync(trialId, workerId, new EpochMetrics(metrics.Epoch, metrics.TrainLoss, metrics.ValidationLoss,
            metrics.ValidationAccuracy, metrics.ValidationTop5Accuracy, metrics.LearningRate, metrics.Seconds,
            metrics.PeakMemoryBytes > 0 ? metrics.PeakMemoryBytes : null), cancellationToken));
    }

    public Task<bool> ReleaseAsync(long trialId, string workerId, CancellationToken cancellationToken) =>
        Owned(() => store.ReleaseTrialAsync(trialId, workerId, cancellationToken));

    public Task<bool> FinishAsync(long trialId, string workerId, TrialEnd end, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(end);
        var finish = end.State switch
        {
            TrialEndState.Completed => TrialFinish.Completed(end.TestAccuracy, end.TestMetricsJson),
            TrialEndState.Pruned => TrialFinish.Pruned(end.Reason ?? "pruned"),
            _ => TrialFinish.Failed(end.Reason ?? "failed"),
        };
        return Owned(() => store.FinishTrialAsync(trialId, workerId, finish, cancellationToken));
    }

    public async Task<bool> FinishWaitingAsync(long trialId, TrialEnd end, CancellationToken cancellationToken)
    {
        // The store only ends a trial its owner holds: claim the Waiting trial (never a running one), then end it.
        if (await store.ClaimTrialAsync(trialId, CoordinatorOwner, "none", WaitingOnly, cancellationToken).ConfigureAwait(false) is null)
        {
            return false;
        }

        return await FinishAsync(trialId, CoordinatorOwner, end, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<TrialSnapshot>> GetTrialsAsync(long experimentId, CancellationToken cancellationToken)
    {
        var snapshots = new List<TrialSnapshot>();
        foreach (var trial in await store.ListTrialsAsync(experimentId, null, cancellationToken).ConfigureAwait(false))
        {
            double? latest = null;
            if (!trial.IsFinished && trial.EpochsDone > 0)
            {
                var epochs = await store.GetEpochMetricsAsync(trial.Id, cancellationToken).ConfigureAwait(false);
                latest = epochs.LastOrDefault(e => e.Epoch == trial.EpochsDone)?.ValidationAccuracy;
            }

            snapshots.Add(new TrialSnapshot(trial.Id, checked((int)trial.Number), trial.State == TrialState.Running,
                trial.IsFinished ? EndState(trial.State) : null, (int)trial.EpochsDone, trial.BestValidationAccuracy,
                MaxEpochs(trial.HyperparametersJson), latest, trial.Role));
        }

        return snapshots;
    }

    public async Task<IReadOnlyList<EpochScore>> GetScoresAsync(long trialId, CancellationToken cancellationToken) =>
        (await store.GetEpochMetricsAsync(trialId, cancellationToken).ConfigureAwait(false))
            .Where(e => e.ValidationAccuracy is not null)
            .Select(e => new EpochScore(e.Epoch, e.ValidationAccuracy!.Value))
            .OrderBy(e => e.Epoch)
            .ToArray();

    /// <summary>The <c>epochs</c> (any case) of a trial's hyperparameters JSON, or its <c>hp/epochs</c> when it is a whole search-space sample.</summary>
    public static int MaxEpochs(string hyperparametersJson)
    {
        using var document = JsonDocument.Parse(hyperparametersJson);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            var isEpochs = string.Equals(property.Name, "epochs", StringComparison.OrdinalIgnoreCase)
                || string.Equals(property.Name, AutoNet.Search.Spaces.SpaceLabels.Epochs, StringComparison.OrdinalIgnoreCase);
            if (isEpochs && property.Value.TryGetInt32(out var epochs) && epochs >= 1)
            {
                return epochs;
            }
        }

        throw new ArgumentException($"trial hyperparameters {hyperparametersJson}: expected an 'epochs' or 'hp/epochs' field (the epoch budget, at least 1)");
    }

    private static TrialEndState EndState(TrialState state) => state switch
    {
        TrialState.Completed => TrialEndState.Completed,
        TrialState.Pruned => TrialEndState.Pruned,
        TrialState.Failed => TrialEndState.Failed,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "not a final state"),
    };

    private static async Task<bool> Owned(Func<Task> change)
    {
        try
        {
            await change().ConfigureAwait(false);
            return true;
        }
        catch (TrialOwnershipException)
        {
            return false;
        }
    }
}
