using AutoNet.Search.MultiFidelity;
using AutoNet.Store;

namespace AutoNet.Scheduling.Search;

/// <summary>What a search coordinator needs besides the store and the job scheduler.</summary>
public sealed record SearchCoordinatorOptions
{
    public required long ExperimentId { get; init; }

    public required ITrialProposer Proposer { get; init; }

    /// <summary>The early-stopping scheduler (ASHA, median stopping, FIFO).</summary>
    public required ITrialScheduler EarlyStopping { get; init; }

    public required SearchBudget Budget { get; init; }

    /// <summary>How many trials may be queued or running at once: the device slots of every worker taking part.</summary>
    public required int Concurrency { get; init; }

    /// <summary>
    /// How often to read the store for trials run by workers in other processes, which have no channel to this one
    /// (null: every worker is in this process and reports through <see cref="ITrialEventSink"/>).
    /// </summary>
    public TimeSpan? PollInterval { get; init; }

    /// <summary>
    /// The trials this coordinator runs: the search's, or the final training of its winner. Trials of the other role
    /// in the same experiment are neither restored nor counted against this coordinator's budget.
    /// </summary>
    public TrialRole Role { get; init; } = TrialRole.Search;

    /// <summary>Search time the experiment used before this run: a resumed search keeps only what is left of its wall budget.</summary>
    public TimeSpan ElapsedBefore { get; init; }

    /// <summary>
    /// Stores the search time used so far (<see cref="ElapsedBefore"/> plus this run's), at most every
    /// <see cref="SaveElapsedInterval"/> while events come and once when the run ends or is interrupted; null keeps nothing.
    /// </summary>
    public Func<TimeSpan, CancellationToken, Task>? SaveElapsed { get; init; }

    public TimeSpan SaveElapsedInterval { get; init; } = TimeSpan.FromSeconds(10);
}
