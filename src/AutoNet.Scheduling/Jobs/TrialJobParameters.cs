namespace AutoNet.Scheduling.Jobs;

/// <summary>
/// A trial job's retry history, kept as Hangfire job parameters (they travel with the job to whichever worker runs
/// it next): written by <see cref="TrialRetryFilter"/>, read by <see cref="TrialJob"/>.
/// </summary>
internal static class TrialJobParameters
{
    /// <summary>The queue the job was dispatched to, so a retry after a delay goes back to the same queue.</summary>
    public const string Queue = "autonet:queue";

    /// <summary>Whether a run ran out of memory and the batch is halved from now on.</summary>
    public const string HalveBatch = "autonet:halve-batch";

    /// <summary>Transient failures retried so far.</summary>
    public const string TransientRetries = "autonet:transient-retries";

    /// <summary>Times a run found its trial held by another live worker and looked again later.</summary>
    public const string Rechecks = "autonet:rechecks";
}
