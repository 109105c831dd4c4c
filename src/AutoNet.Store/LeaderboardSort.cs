namespace AutoNet.Store;

/// <summary>How a leaderboard ranks trials. Accuracies rank highest first, sizes smallest first; ties by trial number.</summary>
public enum LeaderboardSort
{
    ValidationAccuracy,
    TestAccuracy,
    ParameterCount,
    Flops,
}
