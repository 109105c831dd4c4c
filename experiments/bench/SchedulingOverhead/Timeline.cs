using System.Collections.Concurrent;
using System.Diagnostics;

namespace AutoNet.Experiments.SchedulingOverhead;

/// <summary>
/// When each run was enqueued and started, and when each slot last finished: enqueue-to-start per run, and
/// finish-to-next-start per slot (the slot idle between two runs), in milliseconds.
/// </summary>
internal sealed class Timeline
{
    private readonly ConcurrentDictionary<long, long> enqueued = new();
    private readonly ConcurrentDictionary<string, long> lastFinish = new();

    public ConcurrentBag<double> EnqueueToStart { get; } = [];

    public ConcurrentBag<double> FinishToNextStart { get; } = [];

    public int Started_ => EnqueueToStart.Count;

    public void Enqueued(long id) => enqueued[id] = Stopwatch.GetTimestamp();

    public void Started(long id, string slot)
    {
        var now = Stopwatch.GetTimestamp();
        if (enqueued.TryRemove(id, out var at))
        {
            EnqueueToStart.Add(Stopwatch.GetElapsedTime(at, now).TotalMilliseconds);
        }

        if (lastFinish.TryRemove(slot, out var finished))
        {
            FinishToNextStart.Add(Stopwatch.GetElapsedTime(finished, now).TotalMilliseconds);
        }
    }

    public void Finished(string slot) => lastFinish[slot] = Stopwatch.GetTimestamp();
}
