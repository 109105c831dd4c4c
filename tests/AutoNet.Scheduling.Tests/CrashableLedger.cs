using AutoNet.Search.MultiFidelity;
using AutoNet.Training;

namespace AutoNet.Scheduling.Tests;

/// <summary>
/// One worker's view of a shared ledger that can die with its process: after <see cref="Crash"/> no call reaches the
/// ledger any more (each waits, as a frozen process would), and after <see cref="Bury"/> each gives up with
/// <see cref="OperationCanceledException"/>. The shared ledger keeps whatever the worker wrote before: its trials
/// stay Running under an owner whose heartbeat goes stale.
/// </summary>
internal sealed class CrashableLedger(ITrialLedger inner, System.Collections.Concurrent.ConcurrentDictionary<long, int>? finishes = null) : ITrialLedger
{
    private readonly CancellationTokenSource buried = new();
    private volatile bool crashed;

    public void Crash() => crashed = true;

    public void Bury() => buried.Cancel();

    private async Task<T> Call<T>(Func<Task<T>> call)
    {
        if (crashed)
        {
            await Task.Delay(Timeout.Infinite, buried.Token);
        }

        return await call();
    }

    public Task<(long TrialId, int TrialNumber)> AddTrialAsync(long experimentId, TrialProposal proposal, CancellationToken cancellationToken) =>
        Call(() => inner.AddTrialAsync(experimentId, proposal, cancellationToken));

    public Task<TrialClaim> ClaimAsync(long trialId, string workerId, string device, TimeSpan staleAfter, CancellationToken cancellationToken) =>
        Call(() => inner.ClaimAsync(trialId, workerId, device, staleAfter, cancellationToken));

    public Task<bool> HeartbeatAsync(long trialId, string workerId, CancellationToken cancellationToken) =>
        Call(() => inner.HeartbeatAsync(trialId, workerId, cancellationToken));

    public Task<bool> ReportEpochAsync(long trialId, string workerId, EpochMetrics metrics, CancellationToken cancellationToken) =>
        Call(() => inner.ReportEpochAsync(trialId, workerId, metrics, cancellationToken));

    public Task<bool> ReleaseAsync(long trialId, string workerId, CancellationToken cancellationToken) =>
        Call(() => inner.ReleaseAsync(trialId, workerId, cancellationToken));

    public Task<bool> FinishAsync(long trialId, string workerId, TrialEnd end, CancellationToken cancellationToken) =>
        Call(async () => Count(trialId, await inner.FinishAsync(trialId, workerId, end, cancellationToken)));

    public Task<bool> FinishWaitingAsync(long trialId, TrialEnd end, CancellationToken cancellationToken) =>
        Call(async () => Count(trialId, await inner.FinishWaitingAsync(trialId, end, cancellationToken)));

    /// <summary>Counts the finishes the shared ledger took, per trial (a trial must end exactly once).</summary>
    private bool Count(long trialId, bool stored)
    {
        if (stored)
        {
            finishes?.AddOrUpdate(trialId, 1, (_, n) => n + 1);
        }

        return stored;
    }

    public Task<IReadOnlyList<TrialSnapshot>> GetTrialsAsync(long experimentId, CancellationToken cancellationToken) =>
        Call(() => inner.GetTrialsAsync(experimentId, cancellationToken));

    public Task<IReadOnlyList<EpochScore>> GetScoresAsync(long trialId, CancellationToken cancellationToken) =>
        Call(() => inner.GetScoresAsync(trialId, cancellationToken));
}
