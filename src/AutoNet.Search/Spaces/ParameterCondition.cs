namespace AutoNet.Search.Spaces;

/// <summary>A decision exists only while the decision <see cref="Label"/> is active and has one of <see cref="Values"/>.</summary>
public sealed class ParameterCondition
{
    public ParameterCondition(string label, IReadOnlyList<ParameterValue> values)
    {
        ArgumentException.ThrowIfNullOrEmpty(label);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new ArgumentException($"a condition on '{label}' needs at least one value", nameof(values));
        }

        Label = label;
        Values = [.. values];
    }

    public string Label { get; }

    public IReadOnlyList<ParameterValue> Values { get; }

    public bool IsSatisfiedBy(ParameterValue value) => Values.Contains(value);

    public override string ToString() => Values.Count == 1
        ? $"{Label} = {Values[0].ToJson()}"
        : $"{Label} in [{string.Join(", ", Values.Select(v => v.ToJson()))}]";
}
