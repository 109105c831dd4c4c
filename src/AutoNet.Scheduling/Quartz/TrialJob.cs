using AutoNet.Training;
using Quartz;

namespace AutoNet.Scheduling.Quartz;

/// <summary>
/// One run of one trial on one device slot: claim the trial in the store, train it through the worker's runner while
/// heartbeating, store every epoch, record how it ended, and apply the retry policy. A job that finds the trial
/// finished does nothing; one that finds it held by a worker that looks alive checks again once that worker's
/// heartbeat could have gone stale (Quartz may recover a job before the store sees its worker as dead).
/// </summary>
internal sealed class TrialJob(TrialWorker worker) : IJob
{
    private const int MaxRechecks = 2;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var data = TrialJobData.From(context.MergedJobDataMap);
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, context.CancellationToken, worker.Stopping);
        try
        {
            await RunAsync(context.Scheduler, data, stopping.Token).ConfigureAwait(false);
        }
        catch (Exception) when (worker.IsCrashed)
        {
            // A simulated crash: this worker must never write again, and Quartz must not hear that the job ended
            // (not even by a cancellation it would answer with a recovery trigger), as if the process had died here.
            await worker.Crash.ConfigureAwait(false);
        }
    }

    private async Task RunAsync(IScheduler scheduler, TrialJobData data, CancellationToken stopping)
    {
        // Shutting down before the trial started throws OperationCanceledException, which Quartz answers by storing
        // a recovery trigger: the run is not lost.
        using (var lease = await worker.Slots.AcquireAsync(stopping).ConfigureAwait(false))
        {
            var ledger = worker.Ledger;
            var options = worker.Options;
            worker.ThrowIfCrashed();
            var claim = await ledger.ClaimAsync(data.TrialId, worker.OwnerId, lease.Slot.Name, options.StaleAfter, CancellationToken.None).ConfigureAwait(false);
            worker.ThrowIfCrashed();
            switch (claim.Status)
            {
                case TrialClaimStatus.NotFound:
                    return;
                case TrialClaimStatus.Finished:
                    Tell(data, claim.EndState switch
                    {
                        TrialEndState.Completed => TrialRunEndKind.Completed,
                        TrialEndState.Pruned => TrialRunEndKind.Pruned,
                        _ => TrialRunEndKind.Failed,
                    }, claim.EpochsDone, claim.BestScore);
                    return;
                case TrialClaimStatus.HeldByLiveWorker:
                    if (data.Rechecks < MaxRechecks)
                    {
                        await worker.ScheduleAsync(scheduler, data with { Rechecks = data.Rechecks + 1 }, options.StaleAfter).ConfigureAwait(false);
                    }

                    return;
            }

            if (claim.EpochsDone >= data.TargetEpoch && claim.EpochsDone < data.MaxEpochs)
            {
                // A duplicate of a run that already reached this target: hand the trial back untouched and say so again,
                // in case the first run died between releasing the trial and telling the coordinator.
                await ledger.ReleaseAsync(data.TrialId, worker.OwnerId, CancellationToken.None).ConfigureAwait(false);
                worker.ThrowIfCrashed();
                Tell(data, TrialRunEndKind.Paused, claim.EpochsDone, claim.BestScore);
                return;
            }

            await TrainAsync(scheduler, data, lease.Slot, stopping).ConfigureAwait(false);
        }
    }

    private async Task TrainAsync(IScheduler scheduler, TrialJobData data, DeviceSlot slot, CancellationToken stopping)
    {
        var ledger = worker.Ledger;
        var workerId = worker.OwnerId;
        var assignment = new TrialAssignment(data.ExperimentId, data.TrialId, data.TrialNumber, data.TargetEpoch, data.MaxEpochs,
            data.HalveBatch, data.Attempt, slot);
        using var lost = new CancellationTokenSource();
        using var training = CancellationTokenSource.CreateLinkedTokenSource(stopping, lost.Token);
        var progress = new JobProgress(worker, data, lost);
        using var heartbeatStop = new CancellationTokenSource();
        var heartbeat = HeartbeatAsync(data.TrialId, lost, heartbeatStop.Token);
        TrialRunOutcome? outcome = null;
        Exception? error = null;
        try
        {
            outcome = await worker.Runner.RunAsync(assignment, progress, training.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (training.IsCancellationRequested)
        {
        }
        catch (WorkerCrashedException)
        {
            throw;
        }
        catch (Exception e)
        {
            error = e;
        }
        finally
        {
            await heartbeatStop.CancelAsync().ConfigureAwait(false);
            await heartbeat.ConfigureAwait(false);
        }

        worker.ThrowIfCrashed();
        if (lost.IsCancellationRequested)
        {
            // Another worker took the trial over (our heartbeats stopped reaching the store): it is theirs now.
            return;
        }

        if (error is not null)
        {
            await FailedAsync(scheduler, data, progress, error).ConfigureAwait(false);
            return;
        }

        if (outcome is null || outcome.StopReason == TrainingStopReason.Cancelled)
        {
            await ledger.ReleaseAsync(data.TrialId, workerId, CancellationToken.None).ConfigureAwait(false);
            worker.ThrowIfCrashed();
            Tell(data, TrialRunEndKind.Interrupted, progress.EpochsDone(outcome), progress.BestScore(outcome), "the worker stopped");
            // Quartz answers a job cancelled by its shutdown with a recovery trigger, in the same transaction that
            // ends this firing: the next worker to start (here or on another machine) resumes the trial.
            throw new OperationCanceledException($"worker {workerId} stopped during trial {data.TrialId}; its checkpoint stands");
        }

        // Epochs the checkpoint remembers but a crash kept from the store (storing them again is harmless).
        foreach (var metrics in outcome.History.Where(m => !progress.Reported(m.Epoch)))
        {
            await ledger.ReportEpochAsync(data.TrialId, workerId, metrics, CancellationToken.None).ConfigureAwait(false);
        }

        worker.ThrowIfCrashed();
        var best = outcome.History.Count == 0 ? (double?)null : outcome.BestValidationAccuracy;
        if (outcome.StopReason == TrainingStopReason.Stopped)
        {
            var reason = $"stopped by the early-stopping scheduler after epoch {outcome.EpochsCompleted}";
            var stored = await ledger.FinishAsync(data.TrialId, workerId, TrialEnd.Pruned(reason), CancellationToken.None).ConfigureAwait(false);
            worker.ThrowIfCrashed();
            TellIfStored(stored, data, TrialRunEndKind.Pruned, outcome.EpochsCompleted, best, reason);
        }
        else if (outcome.EpochsCompleted >= data.MaxEpochs)
        {
            var stored = await ledger.FinishAsync(data.TrialId, workerId, TrialEnd.Completed(outcome.TestAccuracy, outcome.TestMetricsJson), CancellationToken.None)
                .ConfigureAwait(false);
            worker.ThrowIfCrashed();
            TellIfStored(stored, data, TrialRunEndKind.Completed, outcome.EpochsCompleted, best);
        }
        else
        {
            var stored = await ledger.ReleaseAsync(data.TrialId, workerId, CancellationToken.None).ConfigureAwait(false);
            worker.ThrowIfCrashed();
            TellIfStored(stored, data, TrialRunEndKind.Paused, outcome.EpochsCompleted, best);
        }
    }

    private async Task FailedAsync(IScheduler scheduler, TrialJobData data, JobProgress progress, Exception error)
    {
        var ledger = worker.Ledger;
        var workerId = worker.OwnerId;
        var decision = worker.Options.RetryPolicy.Decide(error, data.TransientRetries, data.HalveBatch);
        if (!decision.ShouldRetry)
        {
            var stored = await ledger.FinishAsync(data.TrialId, workerId, TrialEnd.Failed(decision.FailureReason!), CancellationToken.None).ConfigureAwait(false);
            worker.ThrowIfCrashed();
            TellIfStored(stored, data, TrialRunEndKind.Failed, progress.EpochsDone(null), progress.BestScore(null), decision.FailureReason);
            return;
        }

        if (!await ledger.ReleaseAsync(data.TrialId, workerId, CancellationToken.None).ConfigureAwait(false))
        {
            // Another worker took the trial over while this run failed: the retry is its business now.
            return;
        }

        worker.ThrowIfCrashed();
        var retry = data with
        {
            HalveBatch = data.HalveBatch || decision.HalveBatch,
            TransientRetries = data.TransientRetries + (decision.HalveBatch ? 0 : 1),
            Attempt = data.Attempt + 1,
            Rechecks = 0,
        };
        await worker.ScheduleAsync(scheduler, retry, decision.Delay).ConfigureAwait(false);
        Tell(data, TrialRunEndKind.Retrying, progress.EpochsDone(null), progress.BestScore(null), error.Message);
    }

    private async Task HeartbeatAsync(long trialId, CancellationTokenSource lost, CancellationToken stop)
    {
        var interval = worker.Options.HeartbeatInterval;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(interval, stop).ConfigureAwait(false);
                if (worker.IsCrashed)
                {
                    return;
                }

                bool owned;
                try
                {
                    owned = await worker.Ledger.HeartbeatAsync(trialId, worker.OwnerId, stop).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // One missed heartbeat is not fatal: the store is only stale after several.
                    continue;
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

    /// <summary>
    /// Tells how the run ended only when the store took the write: a write refused because another worker took the
    /// trial over is no end of the trial (the new owner tells its own), and saying Completed here would be a lie.
    /// </summary>
    private void TellIfStored(bool stored, TrialJobData data, TrialRunEndKind kind, int epochsDone, double? best, string? reason = null)
    {
        if (stored)
        {
            Tell(data, kind, epochsDone, best, reason);
        }
    }

    private void Tell(TrialJobData data, TrialRunEndKind kind, int epochsDone, double? best, string? reason = null) =>
        worker.Events?.OnRunEnded(new TrialRunEnded(data.TrialId, data.TrialNumber, kind, data.TargetEpoch, epochsDone, best, reason));

    /// <summary>Stores each epoch as the runner reports it and asks the coordinator (when there is one) whether to go on.</summary>
    private sealed class JobProgress(TrialWorker worker, TrialJobData data, CancellationTokenSource lost) : ITrialProgress
    {
        private readonly Lock gate = new();
        private readonly Dictionary<int, double> reported = [];

        public TrialDecision OnEpochCompleted(EpochMetrics metrics)
        {
            ArgumentNullException.ThrowIfNull(metrics);
            worker.ThrowIfCrashed();
            var owned = worker.Ledger.ReportEpochAsync(data.TrialId, worker.OwnerId, metrics, CancellationToken.None).GetAwaiter().GetResult();
            worker.ThrowIfCrashed();
            if (!owned)
            {
                lost.Cancel();
                return TrialDecision.Stop;
            }

            lock (gate)
            {
                reported[metrics.Epoch] = metrics.ValidationAccuracy;
            }

            // Without a coordinator the run's target is its decision point: the runner stops there by itself.
            var decision = worker.Events?.OnEpochCompleted(new EpochReport(data.TrialId, data.TrialNumber, metrics)) ?? TrialDecision.Continue;
            worker.ThrowIfCrashed();
            return decision;
        }

        public bool Reported(int epoch)
        {
            lock (gate)
            {
                return reported.ContainsKey(epoch);
            }
        }

        public int EpochsDone(TrialRunOutcome? outcome)
        {
            lock (gate)
            {
                return outcome?.EpochsCompleted ?? (reported.Count == 0 ? 0 : reported.Keys.Max());
            }
        }

        public double? BestScore(TrialRunOutcome? outcome)
        {
            if (outcome is { History.Count: > 0 })
            {
                return outcome.BestValidationAccuracy;
            }

            lock (gate)
            {
                return reported.Count == 0 ? null : reported.Values.Max();
            }
        }
    }
}
