using AutoNet.Scheduling.Quartz;

namespace AutoNet.Scheduling;

/// <summary>How a worker process joins the job store and runs trials.</summary>
public sealed record TrialWorkerOptions
{
    /// <summary>
    /// The Quartz scheduler instance id of this worker: unique among live workers, and the same when a worker restarts
    /// on a SQLite store (non-clustered Quartz recovers only its own instance's interrupted jobs). The machine name
    /// plus the slot specification is a good choice. The store sees it with a per-process suffix (<see cref="TrialWorker.OwnerId"/>).
    /// </summary>
    public required string WorkerId { get; init; }

    public required QuartzProvider Provider { get; init; }

    /// <summary>The experiment store's database: Quartz's tables live beside the store's.</summary>
    public required string ConnectionString { get; init; }

    /// <summary>The device slots this worker trains on; one trial per slot at a time.</summary>
    public required IReadOnlyList<DeviceSlot> Slots { get; init; }

    /// <summary>
    /// Quartz clustering, on for PostgreSQL: workers on many machines share the job store and a dead worker's trials are
    /// recovered by the others. Quartz refuses clustering on SQLite (its locking cannot support it), so a SQLite
    /// store has one worker process, which recovers its own interrupted trials when it starts again under the same
    /// <see cref="WorkerId"/>.
    /// </summary>
    public bool Clustered => Provider == QuartzProvider.Postgres;

    /// <summary>The Quartz scheduler name: workers with the same name (and database) form one cluster.</summary>
    public string SchedulerName { get; init; } = "autonet";

    /// <summary>How often a worker tells the cluster it is alive.</summary>
    public TimeSpan ClusterCheckinInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How late a check-in may be before the worker counts as dead and its trials are recovered.</summary>
    public TimeSpan ClusterCheckinMisfireThreshold { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a running trial's heartbeat is written to the store.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A trial whose heartbeat is older than this belongs to a dead worker and may be taken over.</summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an idle worker waits before looking for new trials (at least a second; new trials scheduled in-process wake it at once).</summary>
    public TimeSpan IdleWaitTime { get; init; } = TimeSpan.FromSeconds(5);

    public RetryPolicy RetryPolicy { get; init; } = new();

    /// <summary>Refuses settings a worker cannot run with, naming the field.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(WorkerId);
        ArgumentException.ThrowIfNullOrWhiteSpace(ConnectionString);
        if (Slots is null || Slots.Count == 0)
        {
            throw new ArgumentException("worker option Slots: expected at least one device slot");
        }

        if (HeartbeatInterval <= TimeSpan.Zero || StaleAfter <= HeartbeatInterval * 2)
        {
            throw new ArgumentException(
                $"worker options HeartbeatInterval = {HeartbeatInterval}, StaleAfter = {StaleAfter}: expected a positive interval and StaleAfter above two intervals");
        }
    }
}
