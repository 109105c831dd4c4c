namespace AutoNet.Search.Spaces;

/// <summary>A choice among listed values of one kind (all strings, all integers, all numbers or all booleans).</summary>
public sealed class CategoricalParameter : SearchParameter
{
    public CategoricalParameter(string label, DecisionRole role, IReadOnlyList<ParameterValue> choices, IReadOnlyList<ParameterCondition>? conditions = null)
        : base(label, role, conditions)
    {
        ArgumentNullException.ThrowIfNull(choices);
        if (choices.Count == 0)
        {
            throw new ArgumentException($"'{label}' needs at least one choice", nameof(choices));
        }

        if (choices.Any(c => c.Kind != choices[0].Kind))
        {
            throw new ArgumentException($"the choices of '{label}' must all be of one kind", nameof(choices));
        }

        if (choices.Distinct().Count() != choices.Count)
        {
            throw new ArgumentException($"the choices of '{label}' must be distinct", nameof(choices));
        }

        Choices = [.. choices];
    }

    public IReadOnlyList<ParameterValue> Choices { get; }

    public override bool IsDiscrete => true;

    public override long Cardinality => Choices.Count;

    public override ValueKind ValueKind => Choices[0].Kind;

    public override bool Contains(ParameterValue value) => IndexOf(value) >= 0;

    public override ParameterValue Sample(SearchRandom random) => Choices[random.NextInt32(Choices.Count)];

    public override ParameterValue ValueAt(long index) => Choices[checked((int)index)];

    public override long IndexOf(ParameterValue value)
    {
        for (var i = 0; i < Choices.Count; i++)
        {
            if (Choices[i] == value)
            {
                return i;
            }
        }

        return -1;
    }

    public override string DescribeDomain() => $"one of [{string.Join(", ", Choices.Select(c => c.ToJson()))}]";

    internal override SearchParameter WithConditions(IReadOnlyList<ParameterCondition> conditions) => new CategoricalParameter(Label, Role, Choices, conditions);
}
