using TorchSharp;

namespace AutoNet.Torch.Schedules;

/// <summary>
/// PyTorch's <c>OneCycleLR</c> (cosine annealing, <c>three_phase=False</c>, <c>cycle_momentum=False</c>): from
/// <c>maxLR / divFactor</c> up to <c>maxLR</c> over the first <c>pctStart * totalSteps - 1</c> steps, then down to
/// <c>maxLR / divFactor / finalDivFactor</c> at step <c>totalSteps - 1</c>. The optimizer's own rates are ignored;
/// each group gets its entry of the max rates (and its initial rate becomes <c>maxLR / divFactor</c>, as PyTorch's).
/// </summary>
public sealed class OneCycleSchedule : LearningRateSchedule
{
    private readonly double[] maxRates;

    public OneCycleSchedule(torch.optim.Optimizer optimizer, double maxLearningRate, long totalSteps, double pctStart = 0.3,
        double divFactor = 25, double finalDivFactor = 1e4)
        : this(optimizer, Enumerable.Repeat(maxLearningRate, optimizer?.ParamGroups.Count() ?? 0).ToArray(), totalSteps, pctStart, divFactor, finalDivFactor)
    {
    }

    public OneCycleSchedule(torch.optim.Optimizer optimizer, IReadOnlyList<double> maxLearningRates, long totalSteps, double pctStart = 0.3,
        double divFactor = 25, double finalDivFactor = 1e4)
        : base(optimizer!)
    {
        ArgumentNullException.ThrowIfNull(maxLearningRates);
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, 1);
        if (maxLearningRates.Count != GroupCount)
        {
            throw new ArgumentException($"{maxLearningRates.Count} max rates for {GroupCount} parameter groups", nameof(maxLearningRates));
        }

        if (!(pctStart >= 0 && pctStart <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(pctStart), pctStart, "pctStart must be in [0, 1]");
        }

        maxRates = maxLearningRates.ToArray();
        TotalSteps = totalSteps;
        PctStart = pctStart;
        DivFactor = divFactor;
        FinalDivFactor = finalDivFactor;
        for (var g = 0; g < maxRates.Length; g++)
        {
            SetInitialLearningRate(g, maxRates[g] / divFactor);
        }

        Apply();
    }

    public long TotalSteps { get; }

    public double PctStart { get; }

    public double DivFactor { get; }

    public double FinalDivFactor { get; }

    public override double LearningRateAt(int group, long step)
    {
        if (step > TotalSteps)
        {
            throw new InvalidOperationException($"the one-cycle schedule stepped {step} times, past its {TotalSteps} total steps");
        }

        var initial = maxRates[group] / DivFactor;
        var min = initial / FinalDivFactor;
        var warmEnd = (PctStart * TotalSteps) - 1;
        var end = (double)(TotalSteps - 1);
        if (step <= warmEnd)
        {
            return Anneal(initial, maxRates[group], step / warmEnd);
        }

        return Anneal(maxRates[group], min, (step - warmEnd) / (end - warmEnd));
    }

    private static double Anneal(double start, double end, double pct) => end + ((start - end) / 2.0 * (Math.Cos(Math.PI * pct) + 1));
}
