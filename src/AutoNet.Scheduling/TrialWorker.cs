using AutoNet.Scheduling.Jobs;
using Hangfire;
using Hangfire.Common;

namespace AutoNet.Scheduling;

/// <summary>
/// A process's Hangfire server for trials: as many Hangfire workers as device slots, listening on the queues of its
/// slots' device kind, trial jobs built with this worker's store, runner and slots, and <see cref="TrialRetryFilter"/>
/// as the only retry policy. Several workers may live in one process (tests); each has its own owner id.
/// </summary>
public sealed class TrialWorker : IAsyncDisposable
{
    private BackgroundJobServer? server;

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
    /// Who owns this worker's trials in the store: the worker id plus a token for this run of the process, so the store
    /// tells a dead process's claims from a restarted one's and a recovered trial never runs twice at once.
    /// </summary>
    public string OwnerId { get; }

    internal ITrialLedger Ledger { get; }

    internal ITrialRunner Runner { get; }

    internal ITrialEventSink? Events { get; }

    internal SlotPool Slots { get; }

    /// <summary>Starts taking trials from the queues of this worker's device kind.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (server is not null)
        {
            throw new InvalidOperationException($"worker {OwnerId} has already started");
        }

        var filters = new JobFilterCollection { new TrialRetryFilter(this) };
        server = new BackgroundJobServer(new BackgroundJobServerOptions
        {
            ServerName = OwnerId,
            WorkerCount = Options.Slots.Count,
            Queues = TrialQueues.Listen(Options.Slots),
            SchedulePollingInterval = Options.PollInterval,
            // A stop cancels running trials at once (Hangfire's job token fires after StopTimeout); they take up to
            // ShutdownTimeout to write their checkpoint, and Hangfire puts their jobs back in the queue.
            StopTimeout = TimeSpan.Zero,
            ShutdownTimeout = Options.ShutdownTimeout,
            FilterProvider = filters,
            Activator = new TrialJobActivator(this),
        }, Options.Storage);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Stops (Ctrl-C): running trials are cancelled, write their checkpoint and go back to Waiting, and their jobs go
    /// back to the queue, so the experiment stays resumable; no new trial starts.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (server is not { } running)
        {
            return;
        }

        running.SendStop();
        await running.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
    }

    internal void Tell(TrialRunEnded ended) => Events?.OnRunEnded(ended);

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        server?.Dispose();
        server = null;
        Slots.Dispose();
    }
}
