namespace AutoNet.Scheduling.Experiments;

/// <summary>
/// How long a one-shot search trains its supernet: for <see cref="Time"/> (a share of a time budget; the number of
/// steps is fixed after the first few steps are timed, so the learning rate's cosine ends where training does), or for
/// <see cref="Epochs"/> passes over the search's training images.
/// </summary>
public sealed record SupernetBudget(TimeSpan? Time, double? Epochs)
{
    /// <summary>The share of a search's time budget spent training the supernet.</summary>
    public const double TimeShare = 0.3;

    /// <summary>
    /// The budget for <paramref name="plan"/>: <see cref="TimeShare"/> of a time budget (at least 10 s); under a trial
    /// budget a quarter of an epoch per trial, between 1 and 10 epochs; otherwise 3 epochs.
    /// </summary>
    public static SupernetBudget For(SearchPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return plan.WallTimeSeconds is { } seconds ? new SupernetBudget(TimeSpan.FromSeconds(Math.Max(10, seconds * TimeShare)), null)
            : plan.MaxTrials is { } trials ? new SupernetBudget(null, Math.Clamp(trials / 4.0, 1, 10))
            : new SupernetBudget(null, 3);
    }

    public override string ToString() => Time is { } time ? $"{time.TotalSeconds:F0} s" : $"{Epochs:0.##} epochs";
}
