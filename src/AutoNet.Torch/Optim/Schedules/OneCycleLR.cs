namespace AutoNet.Torch.Optim.Schedules;

/// <summary>
/// PyTorch's <c>OneCycleLR</c> (cosine annealing, <c>three_phase=False</c>): from <c>maxLR / divFactor</c> up to
/// <c>maxLR</c> over the first <c>pctStart * totalSteps - 1</c> steps, then down to
/// <c>maxLR / divFactor / finalDivFactor</c> at step <c>totalSteps - 1</c>. Momentum is not cycled (PyTorch's
/// <c>cycle_momentum=False</c>). The optimizer's own rates are ignored; each group gets <paramref name="maxLearningRates"/>.
/// </summary>
public sealed class OneCycleLR : LRScheduler
{
    private readonly double[] maxRates;

    public OneCycleLR(Optimizer optimizer, double maxLearningRate, long totalSteps, double pctStart = 0.3,
        double divFactor = 25, double finalDivFactor = 1e4)
        : this(optimizer, Enumerable.Repeat(maxLearningRate, optimizer?.ParamGroups.Count ?? 0).ToArray(), totalSteps, pctStart, divFactor, finalDivFactor)
    {
    }

    public OneCycleLR(Optimizer optimizer, IReadOnlyList<double> maxLearningRates, long totalSteps, double pctStart = 0.3,
        double divFactor = 25, double finalDivFactor = 1e4)
        : base(optimizer)
    {
        ArgumentNullException.ThrowIfNull(maxLearningRates);
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, 1);
        if (maxLearningRates.Count != optimizer.ParamGroups.Count)
        {
            throw new ArgumentException($"{maxLearningRates.Count} max rates for {optimizer.ParamGroups.Count} parameter groups");
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
            optimizer.ParamGroups[g].InitialLearningRate = maxRates[g] / divFactor;
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
            throw new InvalidOperationException($"OneCycleLR stepped {step} times, past its {TotalSteps} total steps");
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
