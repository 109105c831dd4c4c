namespace AutoNet.Search.Spaces;

/// <summary>
/// One decision of a search space: a label (<c>hp/learning_rate</c>, <c>normal/block2/op0</c>), a
/// domain, and the conditions under which it exists. Strategies see only labels, domains and values.
/// </summary>
public abstract class SearchParameter
{
    private protected SearchParameter(string label, DecisionRole role, IReadOnlyList<ParameterCondition>? conditions)
    {
        ArgumentException.ThrowIfNullOrEmpty(label);
        Label = label;
        Role = role;
        Conditions = conditions is null ? [] : [.. conditions];
    }

    public string Label { get; }

    /// <summary>The name in the space file: the label without its <c>arch/</c> or <c>hp/</c> prefix; the label itself for cell decisions.</summary>
    public string Name => Role is DecisionRole.Architecture or DecisionRole.Hyperparameter ? Label[(Label.IndexOf('/', StringComparison.Ordinal) + 1)..] : Label;

    public DecisionRole Role { get; }

    /// <summary>All must hold (and their decisions be active) for this decision to exist; empty when it always exists.</summary>
    public IReadOnlyList<ParameterCondition> Conditions { get; }

    public bool IsConditional => Conditions.Count > 0;

    /// <summary>True when the domain is a finite list of values (<see cref="Cardinality"/>, <see cref="ValueAt"/>, <see cref="IndexOf"/>).</summary>
    public abstract bool IsDiscrete { get; }

    /// <summary>The number of values of a discrete domain; throws for a continuous one.</summary>
    public abstract long Cardinality { get; }

    /// <summary>The kind every value of this decision has.</summary>
    public abstract ValueKind ValueKind { get; }

    public abstract bool Contains(ParameterValue value);

    /// <summary>A value drawn uniformly (log-uniformly for log ranges) from the domain.</summary>
    public abstract ParameterValue Sample(SearchRandom random);

    /// <summary>The index-th value of a discrete domain, in the domain's stable order.</summary>
    public abstract ParameterValue ValueAt(long index);

    /// <summary>The index of a value of a discrete domain, or -1 when it is not in the domain.</summary>
    public abstract long IndexOf(ParameterValue value);

    /// <summary>The domain in words, for error messages: "one of [sgd, adamw]", "an integer in [1, 8]".</summary>
    public abstract string DescribeDomain();

    public override string ToString() => $"{Label}: {DescribeDomain()}" + (IsConditional ? $" when {string.Join(" and ", Conditions)}" : string.Empty);

    internal abstract SearchParameter WithConditions(IReadOnlyList<ParameterCondition> conditions);

    private protected InvalidOperationException NotDiscrete() => new($"'{Label}' is continuous ({DescribeDomain()}); it has no finite list of values");
}
