using System.Runtime.ExceptionServices;
using AutoNet.Training;
using Hangfire;
using Hangfire.Server;

namespace AutoNet.Scheduling.Jobs;

/// <summary>
/// One run of one trial on one device slot, as a Hangfire job: claim the trial in the store, train it through the
/// worker's runner while heartbeating, store every epoch, and record how it ended. The store decides, never the
/// queue: a job for a trial that is finished does nothing, one for a trial held by a live worker steps aside, and a
/// run that lost its claim writes nothing more. A failed run hands its trial back and throws; whether it runs again
/// is <see cref="TrialRetryFilter"/>'s decision.
/// </summary>
public sealed class TrialJob
{
    private readonly TrialWorker worker;

    internal TrialJob(TrialWorker worker) => this.worker = worker;

    /// <summary>Hangfire's entry point; <paramref name="context"/> and <paramref name="cancellationToken"/> are filled in by Hangfire.</summary>
    [JobDisplayName("trial {2} (id {1}) of experiment {0}: train to epoch {3} of {4}")]
    public async Task RunAsync(long experimentId, long trialId, int trialNumber, int targetEpoch, int maxEpochs, PerformContext? context, CancellationToken cancellationToken)
    {
        var run = new TrialRun(experimentId, trialId, trialNumber, targetEpoch, maxEpochs,
            context?.GetJobParameter<bool>(TrialJobParameters.HalveBatch) ?? false,
            context?.GetJobParameter<int>(TrialJobParameters.TransientRetries) ?? 0);
        // Hangfire's token fires when this worker stops. Stopping before the trial started throws
        // OperationCanceledException, which Hangfire answers by putting the job back in its queue: the run is not lost.
        using var lease = await worker.Slots.AcquireAsync(cancellationToken).ConfigureAwait(false);
        var ledger = worker.Ledger;
        var claim = await ledger.ClaimAsync(trialId, worker.OwnerId, lease.Slot.Name, worker.Options.StaleAfter, CancellationToken.None).ConfigureAwait(false);
        switch (claim.Status)
        {
            case TrialClaimStatus.NotFound:
                return;
            case TrialClaimStatus.Finished:
                // Said again in case the run that finished it died before telling.
                worker.Tell(run.Ended(claim.EndState switch
                {
                    TrialEndState.Completed => TrialRunEndKind.Completed,
                    TrialEndState.Pruned => TrialRunEndKind.Pruned,
                    _ => TrialRunEndKind.Failed,
                }, claim.EpochsDone, claim.BestScore));
                return;
            case TrialClaimStatus.HeldByLiveWorker:
                throw new TrialHeldElsewhereException($"trial {trialId} is held by another worker whose heartbeat is fresh");
        }

        if (claim.UnendedRuns > worker.Options.MaxUnendedRuns)
        {
            // Each earlier run was claimed and never ended: its process died every time (perhaps killed by the trial).
            var reason = $"its worker died during each of its last {claim.UnendedRuns - 1} runs; not started again (limit {worker.Options.MaxUnendedRuns})";
            if (await ledger.FinishAsync(trialId, worker.OwnerId, TrialEnd.Failed(reason), CancellationToken.None).ConfigureAwait(false))
            {
                worker.Tell(run.Ended(TrialRunEndKind.Failed, claim.EpochsDone, claim.BestScore, reason));
            }

            return;
        }

        if (claim.EpochsDone >= targetEpoch && claim.EpochsDone < maxEpochs)
        {
            // A duplicate of a run that already reached this target: hand the trial back untouched and say so again,
            // in case the first run died between releasing the trial and telling the coordinator.
            await ledger.ReleaseAsync(trialId, worker.OwnerId, CancellationToken.None).ConfigureAwait(false);
            worker.Tell(run.Ended(TrialRunEndKind.Paused, claim.EpochsDone, claim.BestScore));
            return;
        }

        await TrainAsync(run, lease.Slot, cancellationToken).ConfigureAwait(false);
    }

    private async Task TrainAsync(TrialRun run, DeviceSlot slot, CancellationToken stopping)
    {
        var ledger = worker.Ledger;
        var owner = worker.OwnerId;
        var assignment = new TrialAssignment(run.ExperimentId, run.TrialId, run.TrialNumber, run.TargetEpoch, run.MaxEpochs,
            run.HalveBatch, 1 + run.TransientRetries + (run.HalveBatch ? 1 : 0), slot, owner);
        using var lost = new CancellationTokenSource();
        using var training = CancellationTokenSource.CreateLinkedTokenSource(stopping, lost.Token);
        var progress = new TrialJobProgress(worker, run, lost);
        var heartbeat = new TrialHeartbeat(worker, run.TrialId, lost);
        using var heartbeatStop = new CancellationTokenSource();
        var beating = heartbeat.RunAsync(heartbeatStop.Token);
        TrialRunOutcome? outcome = null;
        Exception? error = null;
        try
        {
            outcome = await worker.Runner.RunAsync(assignment, progress, training.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (training.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            error = e;
        }
        finally
        {
            await heartbeatStop.CancelAsync().ConfigureAwait(false);
            await beating.ConfigureAwait(false);
        }

        if (heartbeat.Unreachable is { } unreachable)
        {
            // The store took no heartbeat for a whole lease: this run may no longer own the trial. It hands the trial
            // back if the store answers again and it is still the owner (so a last failure can be recorded), writes
            // nothing else, and fails with the store's error (retried as transient, claimed afresh).
            try
            {
                await ledger.ReleaseAsync(run.TrialId, owner, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Still unreachable: the lease runs out and the next claim takes the trial over.
            }

            throw unreachable;
        }

        if (lost.IsCancellationRequested)
        {
            // Another worker took the trial over (our heartbeats stopped reaching the store): it is theirs now.
            return;
        }

        if (error is not null)
        {
            if (await ledger.ReleaseAsync(run.TrialId, owner, CancellationToken.None).ConfigureAwait(false))
            {
                // The trial is Waiting again with its epochs and checkpoint; the retry filter decides what comes next.
                ExceptionDispatchInfo.Throw(error);
            }

            // Another worker took the trial over while this run failed: the retry is its business now.
            return;
        }

        if (outcome is null || outcome.StopReason == TrainingStopReason.Cancelled)
        {
            await ledger.ReleaseAsync(run.TrialId, owner, CancellationToken.None).ConfigureAwait(false);
            worker.Tell(run.Ended(TrialRunEndKind.Interrupted, progress.EpochsDone(outcome), progress.BestScore(outcome), "the worker stopped"));
            // Cancelled by the server's shutdown, Hangfire puts the job back in its queue: the next worker to take it
            // (here after a restart, or on another machine) resumes the trial from its checkpoint.
            throw new OperationCanceledException($"worker {owner} stopped during trial {run.TrialId}; its checkpoint stands", stopping);
        }

        // Epochs the checkpoint remembers but a crash kept from the store (storing them again is harmless).
        foreach (var metrics in outcome.History.Where(m => !progress.Reported(m.Epoch)))
        {
            await ledger.ReportEpochAsync(run.TrialId, owner, metrics, CancellationToken.None).ConfigureAwait(false);
        }

        var best = outcome.History.Count == 0 ? (double?)null : outcome.BestValidationAccuracy;
        if (outcome.StopReason == TrainingStopReason.Stopped)
        {
            var reason = $"stopped by the early-stopping scheduler after epoch {outcome.EpochsCompleted}";
            var stored = await ledger.FinishAsync(run.TrialId, owner, TrialEnd.Pruned(reason), CancellationToken.None).ConfigureAwait(false);
            TellIfStored(stored, run.Ended(TrialRunEndKind.Pruned, outcome.EpochsCompleted, best, reason));
        }
        else if (outcome.EpochsCompleted >= run.MaxEpochs)
        {
            var stored = await ledger.FinishAsync(run.TrialId, owner, TrialEnd.Completed(outcome.TestAccuracy, outcome.TestMetricsJson), CancellationToken.None)
                .ConfigureAwait(false);
            TellIfStored(stored, run.Ended(TrialRunEndKind.Completed, outcome.EpochsCompleted, best));
        }
        else
        {
            var stored = await ledger.ReleaseAsync(run.TrialId, owner, CancellationToken.None).ConfigureAwait(false);
            TellIfStored(stored, run.Ended(TrialRunEndKind.Paused, outcome.EpochsCompleted, best));
        }
    }

    /// <summary>
    /// Tells how the run ended only when the store took the write: a write refused because another worker took the
    /// trial over is no end of the trial (the new owner tells its own), and saying Completed here would be a lie.
    /// </summary>
    private void TellIfStored(bool stored, TrialRunEnded ended)
    {
        if (stored)
        {
            worker.Tell(ended);
        }
    }
}
