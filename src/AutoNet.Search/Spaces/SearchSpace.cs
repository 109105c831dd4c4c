using AutoNet.Models;

namespace AutoNet.Search.Spaces;

/// <summary>
/// A search space: a name, a kind, its decisions (cell inputs and ops, architecture choices,
/// hyperparameters) and optional bounds on model size. <see cref="Decisions"/> is ordered so that a
/// decision comes after every decision its conditions refer to: a strategy that emits decisions one
/// by one (an RL controller) or samples them in order always knows whether the next one exists.
/// Load one with <see cref="SearchSpaceReader"/> or <see cref="SearchSpaceCatalog"/>.
/// </summary>
public sealed class SearchSpace
{
    public const string ArchitecturePrefix = "arch/";
    public const string HyperparameterPrefix = "hp/";

    private readonly Dictionary<string, SearchParameter> _byLabel;
    private readonly Dictionary<string, ParameterValue> _fixed;

    public SearchSpace(
        string name,
        SearchSpaceKind kind,
        CellSpace? cell,
        IReadOnlyList<SearchParameter> parameters,
        IReadOnlyList<KeyValuePair<string, ParameterValue>>? fixedValues = null,
        long? maxParams = null,
        long? maxFlops = null,
        string? description = null,
        string? sourcePath = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(parameters);
        if (kind == SearchSpaceKind.Cell && cell is null)
        {
            throw new ArgumentException($"the cell space '{name}' needs a cell section", nameof(cell));
        }

        if (maxParams is <= 0 || maxFlops is <= 0)
        {
            throw new ArgumentException($"the bounds of '{name}' must be positive, got maxParams {maxParams}, maxFlops {maxFlops}");
        }

        // Architecture choices first (a transfer space's cell depends on its head), then cells, then hyperparameters.
        var all = parameters.Where(p => p.Role == DecisionRole.Architecture)
            .Concat(cell?.Decisions() ?? [])
            .Concat(parameters.Where(p => p.Role != DecisionRole.Architecture))
            .ToList();
        _byLabel = new Dictionary<string, SearchParameter>(StringComparer.Ordinal);
        foreach (var parameter in all)
        {
            if (!_byLabel.TryAdd(parameter.Label, parameter))
            {
                throw new ArgumentException($"the label '{parameter.Label}' appears twice in the space '{name}'", nameof(parameters));
            }
        }

        foreach (var parameter in all)
        {
            foreach (var condition in parameter.Conditions)
            {
                if (!_byLabel.TryGetValue(condition.Label, out var target))
                {
                    throw new ArgumentException($"'{parameter.Label}' depends on '{condition.Label}', which is not in the space '{name}'", nameof(parameters));
                }

                if (!target.IsDiscrete)
                {
                    throw new ArgumentException($"'{parameter.Label}' depends on '{condition.Label}', which is continuous; conditions need a categorical or int parameter", nameof(parameters));
                }

                foreach (var value in condition.Values.Where(v => !target.Contains(v)))
                {
                    throw new ArgumentException($"'{parameter.Label}' depends on '{condition.Label}' = {value.ToJson()}, which is not {target.DescribeDomain()}", nameof(parameters));
                }
            }
        }

        Name = name;
        Kind = kind;
        Cell = cell;
        Decisions = OrderByDependencies(all, name);
        _fixed = new Dictionary<string, ParameterValue>(StringComparer.Ordinal);
        foreach (var (key, value) in fixedValues ?? [])
        {
            if (!_fixed.TryAdd(key, value))
            {
                throw new ArgumentException($"the fixed value '{key}' appears twice in the space '{name}'", nameof(fixedValues));
            }
        }

        Fixed = fixedValues is null ? [] : [.. fixedValues];
        MaxParams = maxParams;
        MaxFlops = maxFlops;
        Description = description;
        SourcePath = sourcePath;
    }

    public string Name { get; }

    public SearchSpaceKind Kind { get; }

    /// <summary>The cell part: required for cell spaces, optional for transfer spaces (a searched head), absent for macro spaces.</summary>
    public CellSpace? Cell { get; }

    /// <summary>Every decision, each after the decisions its conditions refer to, otherwise in file order (architecture, cells, hyperparameters).</summary>
    public IReadOnlyList<SearchParameter> Decisions { get; }

    public IEnumerable<SearchParameter> Architecture => Decisions.Where(d => d.Role == DecisionRole.Architecture);

    public IEnumerable<SearchParameter> Hyperparameters => Decisions.Where(d => d.Role == DecisionRole.Hyperparameter);

    /// <summary>Settings that are not searched (a pretrained weights file), in file order.</summary>
    public IReadOnlyList<KeyValuePair<string, ParameterValue>> Fixed { get; }

    /// <summary>The most parameters a sampled model may have; a sample over it is rejected before training.</summary>
    public long? MaxParams { get; }

    /// <summary>The most FLOPs per image a sampled model may need, counted as 2 × <see cref="ModelComplexity.MultiplyAdds"/>.</summary>
    public long? MaxFlops { get; }

    public string? Description { get; }

    /// <summary>The file the space was read from, when it was read from one.</summary>
    public string? SourcePath { get; }

    public SearchParameter this[string label] => _byLabel.TryGetValue(label, out var parameter)
        ? parameter
        : throw new KeyNotFoundException($"the space '{Name}' has no decision '{label}'");

    public bool TryGetDecision(string label, out SearchParameter parameter) => _byLabel.TryGetValue(label, out parameter!);

    public bool TryGetFixed(string name, out ParameterValue value) => _fixed.TryGetValue(name, out value);

    /// <summary>Whether <paramref name="parameter"/> exists given the values chosen so far (its conditions' decisions come earlier in <see cref="Decisions"/>).</summary>
    public static bool IsActive(SearchParameter parameter, Func<string, ParameterValue?> valueOf)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        ArgumentNullException.ThrowIfNull(valueOf);
        foreach (var condition in parameter.Conditions)
        {
            // An absent value means the decision referred to is itself inactive, so this one is too.
            if (valueOf(condition.Label) is not { } value || !condition.IsSatisfiedBy(value))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A point drawn uniformly from the space (log-uniformly on log ranges); inactive decisions are absent.</summary>
    public SearchSample Sample(SearchRandom random) => Complete(SearchSample.Empty, random);

    /// <summary>
    /// A point that keeps every value of <paramref name="partial"/> that is active and in its domain,
    /// draws the missing or invalid ones, and drops inactive and unknown labels. Evolution mutates one
    /// value and completes; a TPE strategy fixes the architecture and completes the rest.
    /// </summary>
    public SearchSample Complete(SearchSample partial, SearchRandom random)
    {
        ArgumentNullException.ThrowIfNull(partial);
        ArgumentNullException.ThrowIfNull(random);
        var chosen = new Dictionary<string, ParameterValue>(StringComparer.Ordinal);
        var entries = new List<KeyValuePair<string, ParameterValue>>(Decisions.Count);
        foreach (var decision in Decisions)
        {
            if (!IsActive(decision, label => chosen.TryGetValue(label, out var v) ? v : (ParameterValue?)null))
            {
                continue;
            }

            var value = partial.TryGetValue(decision.Label, out var given) && decision.Contains(given) ? given : decision.Sample(random);
            chosen[decision.Label] = value;
            entries.Add(new(decision.Label, value));
        }

        return new SearchSample(entries);
    }

    /// <summary>
    /// Aging evolution's step: <paramref name="sample"/> with the decision <paramref name="label"/>
    /// changed to another value of its domain (drawn uniformly among the others; redrawn for a
    /// continuous one), then completed, so decisions that became active are drawn and those that
    /// became inactive dropped. A decision with one value is returned unchanged.
    /// </summary>
    public SearchSample Mutate(SearchSample sample, string label, SearchRandom random)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(random);
        var decision = this[label];
        if (!sample.TryGetValue(label, out var current))
        {
            throw new ArgumentException($"'{label}' is inactive in the sample, so it cannot be mutated", nameof(label));
        }

        ParameterValue next;
        if (!decision.IsDiscrete)
        {
            next = decision.Sample(random);
        }
        else if (decision.Cardinality < 2)
        {
            return Complete(sample, random);
        }
        else
        {
            // Draw among the other values: index k skips the current one.
            var index = random.NextInt64(decision.Cardinality - 1);
            var currentIndex = decision.IndexOf(current);
            next = decision.ValueAt(currentIndex >= 0 && index >= currentIndex ? index + 1 : index);
        }

        return Complete(sample.With(label, next), random);
    }

    /// <summary>Every reason <paramref name="sample"/> is not a point of this space; empty when it is one.</summary>
    public IReadOnlyList<string> Check(SearchSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var problems = new List<string>();
        var active = new Dictionary<string, ParameterValue>(StringComparer.Ordinal);
        foreach (var decision in Decisions)
        {
            var isActive = IsActive(decision, label => active.TryGetValue(label, out var v) ? v : (ParameterValue?)null);
            var present = sample.TryGetValue(decision.Label, out var value);
            if (isActive && !present)
            {
                problems.Add($"'{decision.Label}' is missing; expected {decision.DescribeDomain()}");
            }
            else if (!isActive && present)
            {
                problems.Add($"'{decision.Label}' is set to {value.ToJson()} but is inactive: it exists only when {string.Join(" and ", decision.Conditions)}");
            }
            else if (isActive)
            {
                if (decision.Contains(value))
                {
                    active[decision.Label] = value;
                }
                else
                {
                    problems.Add($"'{decision.Label}' is {value.ToJson()}; expected {decision.DescribeDomain()}");
                }
            }
        }

        foreach (var label in sample.Labels.Where(l => !_byLabel.ContainsKey(l)))
        {
            problems.Add($"'{label}' is not a decision of the space '{Name}'");
        }

        return problems;
    }

    /// <summary>Throws a <see cref="SearchSampleException"/> listing every problem when <paramref name="sample"/> is not a point of this space.</summary>
    public void Validate(SearchSample sample)
    {
        var problems = Check(sample);
        if (problems.Count > 0)
        {
            throw new SearchSampleException(Name, problems);
        }
    }

    /// <summary>Null when a model of this size is within the space's bounds, otherwise the reason it is not.</summary>
    public string? CheckBounds(long parameters, long flops)
    {
        if (parameters > MaxParams)
        {
            return $"{parameters:N0} parameters is over the space's maxParams {MaxParams:N0}";
        }

        return flops > MaxFlops ? $"{flops:N0} FLOPs is over the space's maxFlops {MaxFlops:N0}" : null;
    }

    /// <summary>Null when a model of this complexity is within the space's bounds, otherwise the reason it is not.</summary>
    public string? CheckBounds(ModelComplexity complexity)
    {
        ArgumentNullException.ThrowIfNull(complexity);
        return CheckBounds(complexity.Parameters, 2 * complexity.MultiplyAdds);
    }

    public override string ToString() => $"{Name} ({Kind}, {Decisions.Count} decisions)";

    // A stable topological order: repeatedly take the first decision (in file order) whose condition
    // targets are all placed, so a file already in dependency order is kept as it is.
    private static List<SearchParameter> OrderByDependencies(List<SearchParameter> all, string name)
    {
        var ordered = new List<SearchParameter>(all.Count);
        var placed = new HashSet<string>(StringComparer.Ordinal);
        var pending = new List<SearchParameter>(all);
        while (pending.Count > 0)
        {
            var index = pending.FindIndex(p => p.Conditions.All(c => placed.Contains(c.Label)));
            if (index < 0)
            {
                throw new ArgumentException($"the conditions of the space '{name}' form a cycle among {string.Join(", ", pending.Select(p => p.Label))}");
            }

            ordered.Add(pending[index]);
            placed.Add(pending[index].Label);
            pending.RemoveAt(index);
        }

        return ordered;
    }
}
