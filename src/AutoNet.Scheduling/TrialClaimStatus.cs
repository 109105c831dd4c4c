namespace AutoNet.Scheduling;

/// <summary>What a claim found.</summary>
public enum TrialClaimStatus
{
    /// <summary>The caller owns the trial now.</summary>
    Claimed,

    /// <summary>The trial is Completed, Pruned or Failed: there is nothing left to run.</summary>
    Finished,

    /// <summary>Another worker owns it and its heartbeat is fresh: it is being trained right now.</summary>
    HeldByLiveWorker,

    /// <summary>No such trial.</summary>
    NotFound,
}
