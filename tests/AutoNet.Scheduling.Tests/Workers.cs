using AutoNet.Scheduling.Quartz;

namespace AutoNet.Scheduling.Tests;

/// <summary>Worker settings scaled down for tests: fast check-ins, heartbeats and failure detection.</summary>
internal static class Workers
{
    public static TrialWorkerOptions Options(TestDatabase database, string workerId, int slots) =>
        Options(QuartzProvider.Sqlite, database.ConnectionString, workerId, slots);

    public static TrialWorkerOptions Options(QuartzProvider provider, string connectionString, string workerId, int slots) => new()
    {
        WorkerId = workerId,
        Provider = provider,
        ConnectionString = connectionString,
        Slots = Enumerable.Range(0, slots).Select(i => new DeviceSlot($"cuda:{i}")).ToArray(),
        ClusterCheckinInterval = TimeSpan.FromMilliseconds(250),
        ClusterCheckinMisfireThreshold = TimeSpan.FromMilliseconds(500),
        HeartbeatInterval = TimeSpan.FromMilliseconds(100),
        StaleAfter = TimeSpan.FromMilliseconds(600),
        IdleWaitTime = TimeSpan.FromSeconds(1),
        RetryPolicy = new RetryPolicy { InitialBackoff = TimeSpan.FromMilliseconds(20), MaxTransientRetries = 2 },
    };

    /// <summary>Waits until every trial of the ledger has ended, failing the test after <paramref name="limit"/>.</summary>
    public static async Task WaitAllEndedAsync(InMemoryTrialLedger ledger, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (ledger.Rows().Any(r => r.End is null))
        {
            if (DateTime.UtcNow > deadline)
            {
                var open = ledger.Rows().Where(r => r.End is null).Select(r => $"{r.Id}(owner {r.Owner ?? "none"}, epochs {r.EpochsDone})");
                Assert.Fail($"trials still open after {limit}: {string.Join(", ", open.Take(20))}");
            }

            await Task.Delay(20);
        }
    }
}
