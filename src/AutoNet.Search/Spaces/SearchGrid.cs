using System.Globalization;
using System.Numerics;

namespace AutoNet.Search.Spaces;

/// <summary>
/// Grid search over a small discrete space: every point exactly once, in a stable order (decisions in
/// <see cref="SearchSpace.Decisions"/> order, each domain in its own order, the last decision varying
/// fastest); a decision that is inactive for a point is absent from it, not enumerated.
/// </summary>
public static class SearchGrid
{
    /// <summary>The default most points <see cref="Enumerate"/> agrees to walk.</summary>
    public const long DefaultLimit = 1_000_000;

    /// <summary>
    /// The number of points, counting conditional decisions only where they are active. Only the
    /// decisions that conditions refer to are branched on; every other active decision multiplies.
    /// </summary>
    public static GridSize Count(SearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        if (space.Decisions.FirstOrDefault(d => !d.IsDiscrete) is { } continuous)
        {
            return new GridSize(null, $"'{continuous.Label}' is continuous ({continuous.DescribeDomain()})");
        }

        var referenced = space.Decisions.SelectMany(d => d.Conditions).Select(c => c.Label).ToHashSet(StringComparer.Ordinal);
        var values = new Dictionary<string, ParameterValue>(StringComparer.Ordinal);
        return new GridSize(CountFrom(space.Decisions, 0, referenced, values), null);
    }

    /// <summary>
    /// Every point of the space; refuses (an <see cref="InvalidOperationException"/> saying why) a space
    /// with a continuous decision or more than <paramref name="limit"/> points.
    /// </summary>
    public static IEnumerable<SearchSample> Enumerate(SearchSpace space, long limit = DefaultLimit)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var size = Count(space);
        if (size.Count is not { } count)
        {
            throw new InvalidOperationException($"the space '{space.Name}' cannot be enumerated as a grid: {size.InfiniteBecause}; a grid needs only categorical and int decisions");
        }

        if (count > limit)
        {
            var largest = space.Decisions.OrderByDescending(d => d.Cardinality).Take(3).Select(d => $"{d.Label} ({d.Cardinality})");
            throw new InvalidOperationException(
                $"the space '{space.Name}' has {count.ToString("N0", CultureInfo.InvariantCulture)} points, more than the grid limit of {limit.ToString("N0", CultureInfo.InvariantCulture)}; " +
                $"largest domains: {string.Join(", ", largest)}");
        }

        return Walk(space.Decisions, 0, []);
    }

    private static BigInteger CountFrom(IReadOnlyList<SearchParameter> decisions, int index, HashSet<string> referenced, Dictionary<string, ParameterValue> values)
    {
        BigInteger product = 1;
        for (var i = index; i < decisions.Count; i++)
        {
            var decision = decisions[i];
            if (!SearchSpace.IsActive(decision, label => values.TryGetValue(label, out var v) ? v : (ParameterValue?)null))
            {
                continue;
            }

            if (!referenced.Contains(decision.Label))
            {
                product *= decision.Cardinality;
                continue;
            }

            // A value that later conditions look at: count the rest of the space once per value.
            BigInteger sum = 0;
            for (long k = 0; k < decision.Cardinality; k++)
            {
                values[decision.Label] = decision.ValueAt(k);
                sum += CountFrom(decisions, i + 1, referenced, values);
            }

            values.Remove(decision.Label);
            return product * sum;
        }

        return product;
    }

    private static IEnumerable<SearchSample> Walk(IReadOnlyList<SearchParameter> decisions, int index, List<KeyValuePair<string, ParameterValue>> chosen)
    {
        while (index < decisions.Count && !SearchSpace.IsActive(decisions[index], label => Find(chosen, label)))
        {
            index++;
        }

        if (index == decisions.Count)
        {
            yield return new SearchSample(chosen);
            yield break;
        }

        var decision = decisions[index];
        for (long k = 0; k < decision.Cardinality; k++)
        {
            chosen.Add(new(decision.Label, decision.ValueAt(k)));
            foreach (var sample in Walk(decisions, index + 1, chosen))
            {
                yield return sample;
            }

            chosen.RemoveAt(chosen.Count - 1);
        }
    }

    private static ParameterValue? Find(List<KeyValuePair<string, ParameterValue>> chosen, string label)
    {
        foreach (var (key, value) in chosen)
        {
            if (key == label)
            {
                return value;
            }
        }

        return null;
    }
}
