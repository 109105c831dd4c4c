using AutoNet.Training;

namespace AutoNet.Scheduling.Jobs;

/// <summary>Stores each epoch as the runner reports it and asks the coordinator (when there is one) whether to go on.</summary>
internal sealed class TrialJobProgress(TrialWorker worker, TrialRun run, CancellationTokenSource lost) : ITrialProgress
{
    private readonly Lock gate = new();
    private readonly Dictionary<int, double> reported = [];

    public TrialDecision OnEpochCompleted(EpochMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var owned = worker.Ledger.ReportEpochAsync(run.TrialId, worker.OwnerId, metrics, CancellationToken.None).GetAwaiter().GetResult();
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
        return worker.Events?.OnEpochCompleted(new EpochReport(run.TrialId, run.TrialNumber, metrics)) ?? TrialDecision.Continue;
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
