namespace AutoNet.Scheduling;

/// <summary>How a run of a trial ended.</summary>
public enum TrialRunEndKind
{
    /// <summary>The trial trained its full budget.</summary>
    Completed,

    /// <summary>It reached its target below the full budget, or the scheduler paused it: Waiting, checkpoint kept.</summary>
    Paused,

    /// <summary>The early-stopping scheduler stopped it for good.</summary>
    Pruned,

    /// <summary>A genuine failure, or retries used up.</summary>
    Failed,

    /// <summary>The worker shut down (Ctrl-C) mid-trial: Waiting, checkpoint kept; its job is back in the queue for the next worker.</summary>
    Interrupted,

    /// <summary>A transient failure; a retry is scheduled (the trial stays in flight).</summary>
    Retrying,
}
