namespace AutoNet.Store.Lite;

/// <summary>
/// The leaderboard's order where the engine does not sort (LiteDB): what the SQL's ORDER BY says, accuracies highest
/// first, sizes smallest first, missing values last, ties by trial number.
/// </summary>
internal static class LeaderboardOrder
{
    public static IEnumerable<Trial> Rank(IEnumerable<Trial> trials, LeaderboardSort sort) => sort switch
    {
        LeaderboardSort.ValidationAccuracy => Descending(trials, t => t.BestValidationAccuracy),
        LeaderboardSort.TestAccuracy => Descending(trials, t => t.TestAccuracy),
        LeaderboardSort.ParameterCount => Ascending(trials, t => t.ParameterCount),
        LeaderboardSort.Flops => Ascending(trials, t => t.Flops),
        _ => throw new ArgumentOutOfRangeException(nameof(sort), sort, "unknown leaderboard sort"),
    };

    private static IEnumerable<Trial> Descending<T>(IEnumerable<Trial> trials, Func<Trial, T?> key)
        where T : struct, IComparable<T> =>
        trials.OrderBy(t => key(t) is null).ThenByDescending(t => key(t) ?? default).ThenBy(t => t.Number);

    private static IEnumerable<Trial> Ascending<T>(IEnumerable<Trial> trials, Func<Trial, T?> key)
        where T : struct, IComparable<T> =>
        trials.OrderBy(t => key(t) is null).ThenBy(t => key(t) ?? default).ThenBy(t => t.Number);
}
