using AutoNet.Scheduling.Quartz;
using Quartz;

namespace AutoNet.Scheduling;

/// <summary>
/// A worker process's Quartz scheduler: a persistent ADO.NET job store in the experiment database (clustered, so
/// any worker takes any trial and a dead worker's trials are recovered by another), as many Quartz threads as device
/// slots, and trial jobs built with this worker's store, runner and slots. Several workers may live in one process
/// (tests); each has its own instance id.
/// </summary>
public sealed class TrialWorker : IAsyncDisposable
{
    private readonly CancellationTokenSource stopping = new();
    private readonly TaskCompletionSource crash = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IScheduler? scheduler;
    private volatile bool crashed;

    public TrialWorker(TrialWorkerOptions options, ITrialLedger ledger, ITrialRunner runner, ITrialEventSink? events = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(runner);
        options.Validate();
        Options = options;
        Ledger = ledger;
        Runner = runner;
        Events = events;
        Slots = new SlotPool(options.Slots);
        OwnerId = $"{options.WorkerId}#{Guid.NewGuid().ToString("N")[..8]}";
    }

    public TrialWorkerOptions Options { get; }

    /// <summary>
    /// Who owns this worker's trials in the store: the worker id plus a token for this run of the process. Quartz's
    /// instance id must stay the same across restarts (on SQLite a restarted worker recovers its own jobs), but the
    /// store must tell the dead process's claims from the new one's, or a recovered trial could run twice.
    /// </summary>
    public string OwnerId { get; }

    /// <summary>The Quartz scheduler (after <see cref="StartAsync"/>); trials scheduled through it reach the whole cluster.</summary>
    public IScheduler Scheduler => scheduler ?? throw new InvalidOperationException($"worker {Options.WorkerId} has not started");

    internal ITrialLedger Ledger { get; }

    internal ITrialRunner Runner { get; }

    internal ITrialEventSink? Events { get; }

    internal SlotPool Slots { get; }

    internal CancellationToken Stopping => stopping.Token;

    internal bool IsCrashed => crashed;

    internal Task Crash => crash.Task;

    /// <summary>Builds the scheduler (Quartz creates its QRTZ_* tables when they are missing) and starts taking trials.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (scheduler is not null)
        {
            throw new InvalidOperationException($"worker {Options.WorkerId} has already started");
        }

        scheduler = await QuartzSetup.BuildAsync(this, cancellationToken).ConfigureAwait(false);
        await scheduler.Start(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stops gracefully (Ctrl-C): running trials are cancelled, write their checkpoint and go back to Waiting, so the
    /// experiment stays resumable; no new trial starts.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (scheduler is not { Status: not (SchedulerStatus.Shutdown or SchedulerStatus.ShuttingDown) } running)
        {
            return;
        }

        await running.Standby(cancellationToken).ConfigureAwait(false);
        await stopping.CancelAsync().ConfigureAwait(false);
        await running.Shutdown(waitForJobsToComplete: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Test hook: behaves as if the process died now. Its jobs stop writing (to the store and to Quartz), heartbeats
    /// stop, and the scheduler halts without telling the cluster, so another worker must recover its trials.
    /// </summary>
    internal async Task SimulateCrashAsync()
    {
        crashed = true;
        await stopping.CancelAsync().ConfigureAwait(false);
        if (scheduler is not null)
        {
            await scheduler.Shutdown(waitForJobsToComplete: false).ConfigureAwait(false);
        }
    }

    internal void ThrowIfCrashed()
    {
        if (crashed)
        {
            throw new WorkerCrashedException();
        }
    }

    internal Task ScheduleAsync(IScheduler target, TrialJobData data, TimeSpan delay)
    {
        ThrowIfCrashed();
        return TrialJobs.ScheduleAsync(target, data, delay, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (!crashed)
        {
            await StopAsync().ConfigureAwait(false);
        }

        stopping.Dispose();
        Slots.Dispose();
    }
}
