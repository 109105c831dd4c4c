namespace AutoNet.Scheduling.Jobs;

/// <summary>
/// A running trial's sign of life in the store. A heartbeat the store answers "not yours" stops the run at once (the
/// trial was taken over). A failing heartbeat is retried at the next beat, but when none has reached the store for
/// a whole lease (<see cref="TrialWorkerOptions.StaleAfter"/>) the run stops with <see cref="Unreachable"/>: another
/// worker may be training the trial by now.
/// </summary>
internal sealed class TrialHeartbeat(TrialWorker worker, long trialId, CancellationTokenSource lost)
{
    /// <summary>Set when the store stayed unreachable for a whole lease.</summary>
    public StoreUnreachableException? Unreachable { get; private set; }

    public async Task RunAsync(CancellationToken stop)
    {
        var interval = worker.Options.HeartbeatInterval;
        var lastAnswered = DateTime.UtcNow;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(interval, stop).ConfigureAwait(false);
                bool owned;
                try
                {
                    owned = await worker.Ledger.HeartbeatAsync(trialId, worker.OwnerId, stop).ConfigureAwait(false);
                    lastAnswered = DateTime.UtcNow;
                }
                catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
                {
                    var silent = DateTime.UtcNow - lastAnswered;
                    if (silent < worker.Options.StaleAfter)
                    {
                        continue;
                    }

                    Unreachable = new StoreUnreachableException(
                        $"the store took no heartbeat of trial {trialId} for {silent.TotalSeconds:F0} s (a lease lasts {worker.Options.StaleAfter.TotalSeconds:F0} s): {e.Message}", e);
                    await lost.CancelAsync().ConfigureAwait(false);
                    return;
                }

                if (!owned)
                {
                    await lost.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }
}
