namespace AutoNet.Export.Packaging;

/// <summary>A summary of the search that found a packaged model; every field may be absent.</summary>
public sealed record ModelSearchSummary
{
    public string? SearchSpace { get; init; }

    public string? Strategy { get; init; }

    public string? Scheduler { get; init; }

    public int? TrialsCompleted { get; init; }

    public int? TrialsPruned { get; init; }

    public int? TrialsFailed { get; init; }

    public TimeSpan? Duration { get; init; }

    public string? Device { get; init; }

    public int? Seed { get; init; }

    /// <summary>Free lines, e.g. "best validation accuracy reached after 37 trials".</summary>
    public IReadOnlyList<string>? Notes { get; init; }
}
