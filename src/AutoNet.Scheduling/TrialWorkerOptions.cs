using Hangfire;

namespace AutoNet.Scheduling;

/// <summary>How a worker process joins the job queue and runs trials.</summary>
public sealed record TrialWorkerOptions
{
    /// <summary>This worker's name (the machine, and the process on a shared store); the store sees it with a per-run suffix (<see cref="TrialWorker.OwnerId"/>).</summary>
    public required string WorkerId { get; init; }

    /// <summary>The Hangfire storage every worker of the store reads (in memory for an embedded store, PostgreSQL for many machines).</summary>
    public required JobStorage Storage { get; init; }

    /// <summary>The device slots this worker trains on; one trial per slot at a time.</summary>
    public required IReadOnlyList<DeviceSlot> Slots { get; init; }

    /// <summary>How often a running trial's heartbeat is written to the store.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A trial whose heartbeat is older than this belongs to a dead worker and may be taken over.</summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How soon a delayed retry or a recheck becomes runnable after its time has come.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a stop waits for running trials to reach their checkpoint and hand their trial back.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How many runs of one trial may start and never end (the process training it died: killed, or killed by the
    /// trial) before the next one fails the trial instead of training it again.
    /// </summary>
    public int MaxUnendedRuns { get; init; } = DefaultMaxUnendedRuns;

    /// <summary>The default of <see cref="MaxUnendedRuns"/>, which a resumed embedded search applies to trials a dead process left running.</summary>
    public const int DefaultMaxUnendedRuns = 3;

    public RetryPolicy RetryPolicy { get; init; } = new();

    /// <summary>Refuses settings a worker cannot run with, naming the field.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(WorkerId);
        ArgumentNullException.ThrowIfNull(Storage);
        if (Slots is null || Slots.Count == 0)
        {
            throw new ArgumentException("worker option Slots: expected at least one device slot");
        }

        if (HeartbeatInterval <= TimeSpan.Zero || StaleAfter <= HeartbeatInterval * 2)
        {
            throw new ArgumentException(
                $"worker options HeartbeatInterval = {HeartbeatInterval}, StaleAfter = {StaleAfter}: expected a positive interval and StaleAfter above two intervals");
        }

        if (MaxUnendedRuns < 1 || PollInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"worker options MaxUnendedRuns = {MaxUnendedRuns}, PollInterval = {PollInterval}: expected at least 1 and a positive interval");
        }
    }
}
