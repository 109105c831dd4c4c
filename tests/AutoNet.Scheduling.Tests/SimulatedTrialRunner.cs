using System.Collections.Concurrent;
using AutoNet.Training;

namespace AutoNet.Scheduling.Tests;

/// <summary>
/// A trial runner that trains nothing: each epoch waits a few milliseconds, "checkpoints" into a dictionary shared by
/// every worker (the shared disk), and scores the trial by a fixed function of its number and epoch. It records when
/// two runs of one trial overlap, and can be told to fail chosen runs.
/// </summary>
internal sealed class SimulatedTrialRunner(TimeSpan epochTime) : ITrialRunner
{
    private readonly ConcurrentDictionary<long, List<EpochMetrics>> checkpoints = new();
    private readonly ConcurrentDictionary<long, int> active = new();
    private readonly ConcurrentQueue<TrialAssignment> runs = new();
    private int overlaps;

    /// <summary>Chooses an exception to throw for a run (null: run normally), before any epoch is trained.</summary>
    public Func<TrialAssignment, Exception?>? Failure { get; init; }

    /// <summary>The epoch time a trial's epochs report, by trial number (null: the time actually waited).</summary>
    public Func<int, double>? ReportedSecondsPerEpoch { get; init; }

    public int Overlaps => Volatile.Read(ref overlaps);

    public IReadOnlyCollection<TrialAssignment> Runs => runs;

    public static double Score(int trialNumber, int epoch) => ((trialNumber * 7919) % 1000 / 1000.0 * 0.5) + (0.4 * epoch / (epoch + 2.0));

    // Like the real runner, on a thread of its own: progress calls block until the coordinator decides, which must
    // never tie up thread-pool threads (on a two-core machine the pool starts with two).
    public Task<TrialRunOutcome> RunAsync(TrialAssignment assignment, ITrialProgress progress, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(() => Run(assignment, progress, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private TrialRunOutcome Run(TrialAssignment assignment, ITrialProgress progress, CancellationToken cancellationToken)
    {
        runs.Enqueue(assignment);
        if (active.AddOrUpdate(assignment.TrialId, 1, (_, n) => n + 1) > 1)
        {
            Interlocked.Increment(ref overlaps);
        }

        // A cancelled run counts as stopped: its job lets it write nothing more (a crashed worker's run may linger in
        // this process a moment, where a killed process would simply be gone).
        var stopped = 0;
        void Stop()
        {
            if (Interlocked.Exchange(ref stopped, 1) == 0)
            {
                active.AddOrUpdate(assignment.TrialId, 0, (_, n) => n - 1);
            }
        }

        using var registration = cancellationToken.Register(Stop);
        try
        {
            if (Failure?.Invoke(assignment) is { } error)
            {
                throw error;
            }

            var history = checkpoints.GetOrAdd(assignment.TrialId, _ => []);
            List<EpochMetrics> snapshot;
            lock (history)
            {
                snapshot = [.. history];
            }

            var epoch = snapshot.Count;
            while (epoch < assignment.TargetEpoch)
            {
                if (cancellationToken.WaitHandle.WaitOne(epochTime))
                {
                    return new TrialRunOutcome(epoch, TrainingStopReason.Cancelled, snapshot);
                }

                epoch++;
                var score = Score(assignment.TrialNumber, epoch);
                var seconds = ReportedSecondsPerEpoch?.Invoke(assignment.TrialNumber) ?? epochTime.TotalSeconds;
                var metrics = new EpochMetrics(epoch, 1 - score, score, 1 - score, score, null, 0.1, seconds, 0);
                snapshot.Add(metrics);
                lock (history)
                {
                    history.Clear();
                    history.AddRange(snapshot);
                }

                switch (progress.OnEpochCompleted(metrics))
                {
                    case TrialDecision.Pause:
                        return new TrialRunOutcome(epoch, TrainingStopReason.Paused, snapshot);
                    case TrialDecision.Stop:
                        return new TrialRunOutcome(epoch, TrainingStopReason.Stopped, snapshot);
                }
            }

            var finished = epoch >= assignment.MaxEpochs;
            return new TrialRunOutcome(epoch, TrainingStopReason.ReachedTarget, snapshot, 1000,
                finished ? Score(assignment.TrialNumber, epoch) - 0.01 : null);
        }
        finally
        {
            Stop();
        }
    }
}
