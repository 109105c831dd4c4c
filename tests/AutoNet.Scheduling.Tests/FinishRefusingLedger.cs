namespace AutoNet.Scheduling.Tests;

/// <summary>
/// The in-memory ledger, except that another worker takes each trial over just before its run writes how it
/// ended: the final write is refused for lost ownership, as the store refuses it after a stale takeover.
/// </summary>
internal sealed class FinishRefusingLedger(InMemoryTrialLedger inner) : DelegatingLedger(inner)
{
    public int Refused { get; private set; }

    public override Task<bool> ReleaseAsync(long trialId, string workerId, CancellationToken cancellationToken) => RefuseAsync();

    public override Task<bool> FinishAsync(long trialId, string workerId, TrialEnd end, CancellationToken cancellationToken) => RefuseAsync();

    private Task<bool> RefuseAsync()
    {
        Refused++;
        return Task.FromResult(false);
    }
}
