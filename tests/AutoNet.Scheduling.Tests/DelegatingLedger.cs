using AutoNet.Search.MultiFidelity;
using AutoNet.Training;

namespace AutoNet.Scheduling.Tests;

/// <summary>A ledger that passes every call to another; test doubles override the calls they change.</summary>
internal abstract class DelegatingLedger(ITrialLedger inner) : ITrialLedger
{
    public virtual Task<(long TrialId, int TrialNumber)> AddTrialAsync(long experimentId, TrialProposal proposal, CancellationToken cancellationToken) =>
        inner.AddTrialAsync(experimentId, proposal, cancellationToken);

    public virtual Task<TrialClaim> ClaimAsync(long trialId, string workerId, string device, TimeSpan staleAfter, CancellationToken cancellationToken) =>
        inner.ClaimAsync(trialId, workerId, device, staleAfter, cancellationToken);

    public virtual Task<bool> HeartbeatAsync(long trialId, string workerId, CancellationToken cancellationToken) =>
        inner.HeartbeatAsync(trialId, workerId, cancellationToken);

    public virtual Task<bool> ReportEpochAsync(long trialId, string workerId, EpochMetrics metrics, CancellationToken cancellationToken) =>
        inner.ReportEpochAsync(trialId, workerId, metrics, cancellationToken);

    public virtual Task<bool> ReleaseAsync(long trialId, string workerId, CancellationToken cancellationToken) =>
        inner.ReleaseAsync(trialId, workerId, cancellationToken);

    public virtual Task<bool> FinishAsync(long trialId, string workerId, TrialEnd end, CancellationToken cancellationToken) =>
        inner.FinishAsync(trialId, workerId, end, cancellationToken);

    public virtual Task<bool> FinishWaitingAsync(long trialId, TrialEnd end, CancellationToken cancellationToken) =>
        inner.FinishWaitingAsync(trialId, end, cancellationToken);

    public virtual Task<IReadOnlyList<TrialSnapshot>> GetTrialsAsync(long experimentId, CancellationToken cancellationToken) =>
        inner.GetTrialsAsync(experimentId, cancellationToken);

    public virtual Task<IReadOnlyList<EpochScore>> GetScoresAsync(long trialId, CancellationToken cancellationToken) =>
        inner.GetScoresAsync(trialId, cancellationToken);
}
