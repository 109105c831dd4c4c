namespace AutoNet.Store;

/// <summary>Which trials a leaderboard shows and in what order.</summary>
/// <param name="Sort">The ranking metric; trials without it rank last.</param>
/// <param name="States">Only trials in these states; null or empty means Completed only.</param>
/// <param name="Top">At most this many rows; null for all.</param>
public sealed record LeaderboardQuery(
    LeaderboardSort Sort = LeaderboardSort.ValidationAccuracy,
    IReadOnlyList<TrialState>? States = null,
    int? Top = null);
