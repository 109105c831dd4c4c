using Hangfire;
using Hangfire.Common;
using Hangfire.Server;
using Hangfire.States;

namespace AutoNet.Experiments.SchedulingOverhead;

/// <summary>
/// The peer: a Hangfire job that does nothing but note its start and finish and, like the search's coordinator,
/// enqueue the next job as it ends, so the same number of jobs is in flight. No store, no claim, no heartbeat: what
/// Hangfire itself costs on the same storage.
/// </summary>
public static class BareJob
{
    private static Timeline? timeline;
    private static BackgroundJobClient? client;
    private static int left;

    internal static void Prepare(Timeline line, JobStorage storage, int jobs)
    {
        timeline = line;
        client = new BackgroundJobClient(storage, new JobFilterCollection());
        left = jobs;
    }

    internal static void Enqueue()
    {
        if (Interlocked.Decrement(ref left) < 0)
        {
            return;
        }

        var id = Interlocked.Increment(ref next);
        timeline!.Enqueued(id);
        client!.Create(Job.FromExpression(() => Run(id, null)), new EnqueuedState("bare"));
    }

    private static long next;

    public static void Run(long id, PerformContext? context)
    {
        var slot = Environment.CurrentManagedThreadId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        timeline!.Started(id, slot);
        timeline.Finished(slot);
        Enqueue();
    }
}
