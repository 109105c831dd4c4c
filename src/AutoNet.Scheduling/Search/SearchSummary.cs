namespace AutoNet.Scheduling.Search;

/// <summary>How a search (or one session of it) ended.</summary>
/// <param name="Interrupted">True when it was cancelled (Ctrl-C): unfinished trials stay Waiting, resumable.</param>
public sealed record SearchSummary(
    int TrialsStarted,
    int Completed,
    int Pruned,
    int Failed,
    long EpochsTrained,
    TimeSpan Elapsed,
    BestTrial? Best,
    bool Interrupted);
