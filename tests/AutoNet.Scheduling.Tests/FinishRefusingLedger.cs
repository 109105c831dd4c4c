using AutoNet.Search.MultiFidelity;
using AutoNet.Training;

namespace AutoNet.Scheduling.Tests;

/// <summary>
/// The in-memory ledger, except that another worker takes each trial over just before its run writes how it
/// ended: the final write is refused for lost ownership, as the store refuses it after a stale takeover.
/// </summary>
internal sealed class FinishRefusingLedger(InMemoryTrialLedger inner) : ITrialLedger
{
    public int Refused { get; private set; }

    public Task<(long TrialId, int TrialNumber)> AddTrialAsync(long experimentId, TrialProposal proposal, CancellationToken cancellationToken) =>
        inner.AddTrialAsync(experimentId, proposal, cancellationToken);

    public Task<TrialClaim> ClaimAsync(long trialId, string workerId, string device, TimeSpan staleAfter, CancellationToken cancellationToken) =>
        inner.ClaimAsync(trialId, workerId, device, staleAfter, cancellationToken);

    public Task<bool> HeartbeatAsync(long trialId, string workerId, CancellationToken cancellationToken) =>
        inner.HeartbeatAsync(trialId, workerId, cancellationToken);

    public Task<bool> ReportEpochAsync(long trialId, string workerId, EpochMetrics metrics, CancellationToken cancellationToken) =>
        inner.ReportEpochAsync(trialId, workerId, metrics, cancellationToken);

    public Task<bool> ReleaseAsync(long trialId, string workerId, CancellationToken cancellationToken) => RefuseAsync();

    public Task<bool> FinishAsync(long trialId, string workerId, TrialEnd end, CancellationToken cancellationToken) => RefuseAsync();

    public Task<bool> FinishWaitingAsync(long trialId, TrialEnd end, CancellationToken cancellationToken) =>
        inner.FinishWaitingAsync(trialId, end, cancellationToken);

    public Task<IReadOnlyList<EpochScore>> GetScoresAsync(long trialId, CancellationToken cancellationToken) =>
        inner.GetScoresAsync(trialId, cancellationToken);

    public Task<IReadOnlyList<TrialSnapshot>> GetTrialsAsync(long experimentId, CancellationToken cancellationToken) =>
        inner.GetTrialsAsync(experimentId, cancellationToken);

    private Task<bool> RefuseAsync()
    {
        Refused++;
        return Task.FromResult(false);
    }
}
