using AutoNet.Search.MultiFidelity;
using AutoNet.Training;

namespace AutoNet.Scheduling;

/// <summary>
/// What scheduling needs from the experiment store: trial rows with an owner, heartbeats and final states. Every
/// change a worker makes names the worker, and the store refuses it when the worker no longer owns the trial — that,
/// and the atomic claim, is what keeps one trial from being trained twice at once.
/// </summary>
public interface ITrialLedger
{
    /// <summary>Adds a Waiting trial to the experiment; returns its id and number.</summary>
    Task<(long TrialId, int TrialNumber)> AddTrialAsync(long experimentId, TrialProposal proposal, CancellationToken cancellationToken);

    /// <summary>
    /// Atomically makes <paramref name="workerId"/> the owner of a Waiting trial, or of a Running one whose last
    /// heartbeat is older than <paramref name="staleAfter"/> (its worker died), and marks it Running on
    /// <paramref name="device"/>. A Running trial with a fresh heartbeat is refused to everyone, its owner included:
    /// a second job for a trial already training must not train it again.
    /// </summary>
    Task<TrialClaim> ClaimAsync(long trialId, string workerId, string device, TimeSpan staleAfter, CancellationToken cancellationToken);

    /// <summary>Records a sign of life; false when the worker no longer owns the trial (it must stop at once).</summary>
    Task<bool> HeartbeatAsync(long trialId, string workerId, CancellationToken cancellationToken);

    /// <summary>Stores one epoch's metrics; storing the same epoch again replaces it. False when not the owner.</summary>
    Task<bool> ReportEpochAsync(long trialId, string workerId, EpochMetrics metrics, CancellationToken cancellationToken);

    /// <summary>Running → Waiting, keeping its epochs (paused at a rung, interrupted, or waiting for a retry). False when not the owner.</summary>
    Task<bool> ReleaseAsync(long trialId, string workerId, CancellationToken cancellationToken);

    /// <summary>Running → Completed, Pruned or Failed, for good. False when not the owner (nothing changes).</summary>
    Task<bool> FinishAsync(long trialId, string workerId, TrialEnd end, CancellationToken cancellationToken);

    /// <summary>Waiting → Pruned or Failed without an owner: a paused trial the search leaves behind at its rung.</summary>
    Task<bool> FinishWaitingAsync(long trialId, TrialEnd end, CancellationToken cancellationToken);

    /// <summary>Every trial of the experiment as it stands (for resuming a search).</summary>
    Task<IReadOnlyList<TrialSnapshot>> GetTrialsAsync(long experimentId, CancellationToken cancellationToken);

    /// <summary>The validation score of each stored epoch of a trial, by epoch (a resumed search gives them back to early stopping).</summary>
    Task<IReadOnlyList<EpochScore>> GetScoresAsync(long trialId, CancellationToken cancellationToken);
}
