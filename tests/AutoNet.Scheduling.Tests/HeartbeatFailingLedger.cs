namespace AutoNet.Scheduling.Tests;

/// <summary>The in-memory ledger, except that every heartbeat fails as if the store's connection were refused.</summary>
internal sealed class HeartbeatFailingLedger(InMemoryTrialLedger inner) : DelegatingLedger(inner)
{
    public override Task<bool> HeartbeatAsync(long trialId, string workerId, CancellationToken cancellationToken) =>
        throw new IOException("connection refused (simulated)");
}
