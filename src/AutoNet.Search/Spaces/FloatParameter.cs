using System.Globalization;

namespace AutoNet.Search.Spaces;

/// <summary>A number in [<see cref="Low"/>, <see cref="High"/>], drawn uniformly or, with <see cref="Log"/>, log-uniformly.</summary>
public sealed class FloatParameter : SearchParameter
{
    public FloatParameter(string label, DecisionRole role, double low, double high, bool log = false, IReadOnlyList<ParameterCondition>? conditions = null)
        : base(label, role, conditions)
    {
        if (!double.IsFinite(low) || !double.IsFinite(high) || low > high)
        {
            throw new ArgumentException($"'{label}': needs finite low <= high, got [{low}, {high}]", nameof(low));
        }

        if (log && low <= 0)
        {
            throw new ArgumentException($"'{label}': a log range needs low > 0, got {low}", nameof(log));
        }

        Low = low;
        High = high;
        Log = log;
    }

    public double Low { get; }

    public double High { get; }

    public bool Log { get; }

    public override bool IsDiscrete => false;

    public override long Cardinality => throw NotDiscrete();

    public override ValueKind ValueKind => ValueKind.Float;

    public override bool Contains(ParameterValue value) => value.Kind == ValueKind.Float && value.AsDouble() >= Low && value.AsDouble() <= High;

    public override ParameterValue Sample(SearchRandom random)
    {
        var u = random.NextDouble();
        var drawn = Log
            ? Math.Exp(Math.Log(Low) + (u * (Math.Log(High) - Math.Log(Low))))
            : Low + (u * (High - Low));
        return Math.Clamp(drawn, Low, High);
    }

    public override ParameterValue ValueAt(long index) => throw NotDiscrete();

    public override long IndexOf(ParameterValue value) => throw NotDiscrete();

    public override string DescribeDomain() =>
        $"a number in [{Low.ToString("R", CultureInfo.InvariantCulture)}, {High.ToString("R", CultureInfo.InvariantCulture)}]" + (Log ? " (log scale)" : string.Empty);

    internal override SearchParameter WithConditions(IReadOnlyList<ParameterCondition> conditions) => new FloatParameter(Label, Role, Low, High, Log, conditions);
}
