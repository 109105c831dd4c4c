using System.Globalization;
using Hangfire.Common;
using Hangfire.States;

namespace AutoNet.Scheduling.Jobs;

/// <summary>
/// The one place a trial run is run again. A failed run's exception goes through the worker's
/// <see cref="RetryPolicy"/>: out of memory runs again at half the batch, a transient error after a back-off, a
/// genuine failure (divergence, an invalid network) never; when no retry is left the trial is failed in the store
/// with the reason. A run that found its trial held by a live worker looks again once that worker's heartbeat could
/// have gone stale. Hangfire's own automatic retry is not installed beside it. It also keeps a job on the queue it
/// was dispatched to when a delayed retry is enqueued again.
/// </summary>
internal sealed class TrialRetryFilter(TrialWorker worker) : JobFilterAttribute, IElectStateFilter
{
    /// <summary>How many times a run looks again for a trial held by another live worker before it leaves the trial to that worker.</summary>
    public const int MaxRechecks = 2;

    public void OnStateElection(ElectStateContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.BackgroundJob?.Job?.Type != typeof(TrialJob))
        {
            return;
        }

        switch (context.CandidateState)
        {
            case EnqueuedState enqueued when context.GetJobParameter<string>(TrialJobParameters.Queue) is { Length: > 0 } queue:
                enqueued.Queue = queue;
                return;
            case FailedState failed:
                Elect(context, failed);
                return;
        }
    }

    private void Elect(ElectStateContext context, FailedState failed)
    {
        var error = failed.Exception is Hangfire.Server.JobPerformanceException { InnerException: { } inner } ? inner : failed.Exception;
        var args = context.BackgroundJob.Job.Args;
        var trialId = Convert.ToInt64(args[1], CultureInfo.InvariantCulture);
        var trialNumber = Convert.ToInt32(args[2], CultureInfo.InvariantCulture);
        var target = Convert.ToInt32(args[3], CultureInfo.InvariantCulture);
        if (error is TrialHeldElsewhereException)
        {
            var rechecks = context.GetJobParameter<int>(TrialJobParameters.Rechecks);
            context.SetJobParameter(TrialJobParameters.Rechecks, rechecks + 1);
            // Hangfire keeps schedules in whole seconds (a shorter delay may come due at once): a second more makes
            // sure the holder's lease has run out by the time the job looks again, if the holder died.
            context.CandidateState = rechecks < MaxRechecks
                ? new ScheduledState(worker.Options.StaleAfter + TimeSpan.FromSeconds(1)) { Reason = $"{error.Message}: looking again when its lease could have run out" }
                : new DeletedState { Reason = $"{error.Message}: left to that worker" };
            return;
        }

        var retries = context.GetJobParameter<int>(TrialJobParameters.TransientRetries);
        var halved = context.GetJobParameter<bool>(TrialJobParameters.HalveBatch);
        var decision = worker.Options.RetryPolicy.Decide(error, retries, halved);
        if (decision.ShouldRetry)
        {
            context.SetJobParameter(TrialJobParameters.HalveBatch, halved || decision.HalveBatch);
            context.SetJobParameter(TrialJobParameters.TransientRetries, retries + (decision.HalveBatch ? 0 : 1));
            context.SetJobParameter(TrialJobParameters.Rechecks, 0);
            context.CandidateState = new ScheduledState(decision.Delay)
            {
                Reason = decision.HalveBatch ? $"out of memory: again at half the batch size ({error.Message})" : $"retry {retries + 1}: {error.Message}",
            };
            worker.Tell(new TrialRunEnded(trialId, trialNumber, TrialRunEndKind.Retrying, target, 0, null, error.Message));
            return;
        }

        var reason = decision.FailureReason!;
        bool stored;
        try
        {
            // The failed run handed the trial back before throwing: it is Waiting, and now ends Failed for good.
            stored = worker.Ledger.FinishWaitingAsync(trialId, TrialEnd.Failed(reason), CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The store did not take the failure: run the job again later, which fails (and records) it then.
            context.CandidateState = new ScheduledState(worker.Options.RetryPolicy.MaxBackoff) { Reason = $"{reason}; the store refused the failure record: {e.Message}" };
            return;
        }

        failed.Reason = reason;
        if (stored)
        {
            worker.Tell(new TrialRunEnded(trialId, trialNumber, TrialRunEndKind.Failed, target, 0, null, reason));
        }
    }
}
