using Hangfire;

namespace AutoNet.Scheduling.Tests;

/// <summary>What Hangfire holds for each trial, for a failing test's output: every job by state, with its trial id and reason.</summary>
internal static class JobDiagnostics
{
    public static IEnumerable<string> Describe(JobStorage storage, ISet<long> trialIds)
    {
        var api = storage.GetMonitoringApi();
        var lines = new List<string>();
        void Add(string state, string id, Hangfire.Common.Job? job, string? reason)
        {
            if (job is not null && job.Args.Count > 1 && trialIds.Contains(Convert.ToInt64(job.Args[1], System.Globalization.CultureInfo.InvariantCulture)))
            {
                lines.Add($"job {id} {state} trial {job.Args[1]}: {reason}");
                foreach (var h in api.JobDetails(id)?.History ?? [])
                {
                    lines.Add($"    {h.CreatedAt:HH:mm:ss.fff} {h.StateName} {h.Reason}");
                }
            }
        }

        foreach (var (id, job) in api.FailedJobs(0, 10_000))
        {
            Add("failed", id, job.Job, job.ExceptionMessage);
        }

        foreach (var (id, job) in api.DeletedJobs(0, 10_000))
        {
            Add("deleted", id, job.Job, null);
        }

        foreach (var (id, job) in api.ScheduledJobs(0, 10_000))
        {
            Add("scheduled", id, job.Job, null);
        }

        foreach (var (id, job) in api.ProcessingJobs(0, 10_000))
        {
            Add("processing", id, job.Job, job.ServerId);
        }

        foreach (var queue in api.Queues())
        {
            foreach (var (id, job) in api.EnqueuedJobs(queue.Name, 0, 10_000))
            {
                Add($"enqueued({queue.Name})", id, job.Job, null);
            }
        }

        return lines;
    }
}
