namespace AutoNet.Search.Spaces;

/// <summary>
/// An integer in [<see cref="Low"/>, <see cref="High"/>] on a grid of <see cref="Step"/>; with
/// <see cref="Log"/> it is drawn log-uniformly (step must then be 1), as Optuna does.
/// </summary>
public sealed class IntParameter : SearchParameter
{
    public IntParameter(string label, DecisionRole role, long low, long high, long step = 1, bool log = false, IReadOnlyList<ParameterCondition>? conditions = null)
        : base(label, role, conditions)
    {
        if (low > high)
        {
            throw new ArgumentException($"'{label}': low {low} is above high {high}", nameof(low));
        }

        if (step < 1 || (high - low) % step != 0)
        {
            throw new ArgumentException($"'{label}': step {step} must be at least 1 and divide high - low = {high - low}", nameof(step));
        }

        if (log && (low < 1 || step != 1))
        {
            throw new ArgumentException($"'{label}': a log range needs low >= 1 and step 1", nameof(log));
        }

        Low = low;
        High = high;
        Step = step;
        Log = log;
    }

    public long Low { get; }

    public long High { get; }

    public long Step { get; }

    public bool Log { get; }

    public override bool IsDiscrete => true;

    public override long Cardinality => ((High - Low) / Step) + 1;

    public override ValueKind ValueKind => ValueKind.Int;

    public override bool Contains(ParameterValue value) => IndexOf(value) >= 0;

    public override ParameterValue Sample(SearchRandom random)
    {
        if (!Log)
        {
            return Low + (random.NextInt64(Cardinality) * Step);
        }

        // Log-uniform over [low - 0.5, high + 0.5] then rounded, so every integer has the mass of its cell.
        var lo = Math.Log(Low - 0.5);
        var hi = Math.Log(High + 0.5);
        var drawn = (long)Math.Round(Math.Exp(lo + (random.NextDouble() * (hi - lo))), MidpointRounding.AwayFromZero);
        return Math.Clamp(drawn, Low, High);
    }

    public override ParameterValue ValueAt(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Cardinality);
        return Low + (index * Step);
    }

    public override long IndexOf(ParameterValue value)
    {
        if (value.Kind != ValueKind.Int)
        {
            return -1;
        }

        var v = value.AsInt64();
        return v < Low || v > High || (v - Low) % Step != 0 ? -1 : (v - Low) / Step;
    }

    public override string DescribeDomain() =>
        $"an integer in [{Low}, {High}]" + (Step != 1 ? $" in steps of {Step}" : string.Empty) + (Log ? " (log scale)" : string.Empty);

    internal override SearchParameter WithConditions(IReadOnlyList<ParameterCondition> conditions) => new IntParameter(Label, Role, Low, High, Step, Log, conditions);
}
