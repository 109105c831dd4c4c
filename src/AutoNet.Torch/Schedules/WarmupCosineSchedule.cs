using TorchSharp;

namespace AutoNet.Torch.Schedules;

/// <summary>
/// Linear warm-up then cosine annealing to <c>base * minFactor</c>, as Hugging Face's
/// <c>get_cosine_schedule_with_warmup</c> with a floor (minFactor 1 is a constant rate after warm-up). Factor at
/// step <c>s</c>: <c>s / warmupSteps</c> while <c>s &lt; warmupSteps</c>; then with
/// <c>p = min(1, (s - warmupSteps) / max(1, totalSteps - warmupSteps))</c>,
/// <c>minFactor + (1 - minFactor) * 0.5 * (1 + cos(pi * p))</c>. The rate is <c>base * factor</c>.
/// </summary>
public sealed class WarmupCosineSchedule : LearningRateSchedule
{
    public WarmupCosineSchedule(torch.optim.Optimizer optimizer, long warmupSteps, long totalSteps, double minFactor = 0)
        : base(optimizer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, warmupSteps);
        if (!(minFactor >= 0 && minFactor <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(minFactor), minFactor, "minFactor must be in [0, 1]");
        }

        WarmupSteps = warmupSteps;
        TotalSteps = totalSteps;
        MinFactor = minFactor;
        Apply();
    }

    public long WarmupSteps { get; }

    public long TotalSteps { get; }

    public double MinFactor { get; }

    /// <summary>The schedule as a pure function: the multiple of the base rate at <paramref name="step"/>.</summary>
    public static double Factor(long step, long warmupSteps, long totalSteps, double minFactor)
    {
        if (step < warmupSteps)
        {
            return (double)step / warmupSteps;
        }

        var progress = Math.Min(1.0, (double)(step - warmupSteps) / Math.Max(1, totalSteps - warmupSteps));
        return minFactor + ((1 - minFactor) * 0.5 * (1 + Math.Cos(Math.PI * progress)));
    }

    public override double LearningRateAt(int group, long step) =>
        BaseLearningRates[group] * Factor(step, WarmupSteps, TotalSteps, MinFactor);
}
