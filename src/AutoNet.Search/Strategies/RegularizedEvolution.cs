using AutoNet.Search.Spaces;

namespace AutoNet.Search.Strategies;

/// <summary>
/// Regularized (aging) evolution as in AmoebaNet (Real et al., 2019). The first <see cref="PopulationSize"/> points
/// are drawn at random; after that each proposal is a child: <see cref="SampleSize"/> members of the population are
/// drawn without replacement, the best of them is the parent, and exactly one of its decisions is changed
/// (<see cref="SearchSpace.Mutate"/>) — first a kind of decision is chosen uniformly among those the parent has (an
/// op, an input, an architecture choice, a hyperparameter), then a decision of that kind. A told result joins the
/// population as its youngest member and, once the population is full, the oldest member dies, whatever its score.
/// Failed or rejected points (score null) get no place; a failed random draw of the first population is replaced by
/// another, so the first population is made of P points that trained. Asked before any result is in, it keeps
/// drawing at random.
/// </summary>
public sealed class RegularizedEvolution : ISearchStrategy
{
    /// <summary>Defaults sized for small budgets (tens of trials within an hour): a population that turns over several times.</summary>
    public const int DefaultPopulationSize = 12;

    public const int DefaultSampleSize = 4;

    private readonly List<Member> population = [];
    private readonly HashSet<DecisionRole> mutableRoles;
    private readonly HashSet<string> initialPending = new(StringComparer.Ordinal);
    private readonly EvolutionProposals? proposals;
    private SearchRandom random;
    private int initialDrawn;

    /// <param name="space">The space to search.</param>
    /// <param name="seed">Seeds every random choice.</param>
    /// <param name="populationSize">P: how many of the latest results are kept.</param>
    /// <param name="sampleSize">S: how many members compete for parenthood (1 is random parent selection, P is greedy).</param>
    /// <param name="mutableRoles">The kinds of decisions a mutation may change (all by default); a combined strategy leaves hyperparameters to TPE.</param>
    public RegularizedEvolution(SearchSpace space, long seed, int populationSize = DefaultPopulationSize, int sampleSize = DefaultSampleSize,
        IEnumerable<DecisionRole>? mutableRoles = null)
        : this(space, seed, populationSize, sampleSize, mutableRoles, proposals: null)
    {
    }

    internal RegularizedEvolution(SearchSpace space, long seed, int populationSize, int sampleSize, IEnumerable<DecisionRole>? mutableRoles,
        EvolutionProposals? proposals)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentOutOfRangeException.ThrowIfLessThan(populationSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleSize, 1);
        if (sampleSize > populationSize)
        {
            throw new ArgumentOutOfRangeException(nameof(sampleSize), sampleSize, $"the tournament size must not exceed the population size {populationSize}");
        }

        Space = space;
        PopulationSize = populationSize;
        SampleSize = sampleSize;
        this.mutableRoles = [.. mutableRoles ?? Enum.GetValues<DecisionRole>()];
        if (this.mutableRoles.Count == 0 || !space.Decisions.Any(IsMutable))
        {
            throw new ArgumentException($"the space '{space.Name}' has no decision evolution may change (roles {string.Join(", ", this.mutableRoles)})", nameof(mutableRoles));
        }

        random = new SearchRandom(seed);
        this.proposals = proposals;
    }

    public string Name => "evolution";

    public SearchSpace Space { get; }

    public int PopulationSize { get; }

    public int SampleSize { get; }

    /// <summary>The living members, oldest first.</summary>
    public IReadOnlyList<(SearchSample Sample, double Score)> Population => [.. population.Select(m => (m.Sample, m.Score))];

    public bool IsExhausted => false;

    public SearchSample? Ask()
    {
        if (initialDrawn < PopulationSize || population.Count == 0)
        {
            initialDrawn = Math.Min(initialDrawn + 1, PopulationSize);
            var drawn = proposals?.DrawInitial() ?? Space.Sample(random);
            initialPending.Add(drawn.Hash);
            return drawn;
        }

        var parent = Tournament();
        SearchSample Child() => Space.Mutate(parent, ChooseDecision(parent), random);
        return proposals is null ? Child() : proposals.PickChild(Child);
    }

    public void Tell(SearchSample sample, double? score)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var initial = initialPending.Remove(sample.Hash);
        if (score is not { } value || !double.IsFinite(value))
        {
            if (initial)
            {
                initialDrawn--;
            }

            return;
        }

        population.Add(new Member(sample, value));
        if (population.Count > PopulationSize)
        {
            population.RemoveAt(0);
        }
    }

    public byte[] SaveState() => StrategyState.Write(new State(Name, Space.Name, [.. random.State], PopulationSize, SampleSize, initialDrawn,
        [.. population.Select(m => new SavedMember(StrategyState.Sample(m.Sample), m.Score))], [.. initialPending.Order(StringComparer.Ordinal)]));

    public void LoadState(ReadOnlySpan<byte> state)
    {
        var saved = StrategyState.Read<State>(state, this, s => (s.Strategy, s.Space));
        if (saved.PopulationSize != PopulationSize || saved.SampleSize != SampleSize)
        {
            throw new ArgumentException(
                $"the saved evolution state has population {saved.PopulationSize} and tournament {saved.SampleSize}; this one has {PopulationSize} and {SampleSize}",
                nameof(state));
        }

        var members = (saved.Population ?? []).Select(m => new Member(StrategyState.Sample(m.Sample), m.Score)).ToList();
        random = StrategyState.Random(saved.Random, Name);
        initialDrawn = saved.InitialDrawn;
        population.Clear();
        population.AddRange(members);
        initialPending.Clear();
        initialPending.UnionWith(saved.InitialPending ?? []);
    }

    private bool IsMutable(SearchParameter decision) => mutableRoles.Contains(decision.Role) && (!decision.IsDiscrete || decision.Cardinality > 1);

    private SearchSample Tournament()
    {
        // A partial Fisher–Yates shuffle draws S distinct members; the best wins, the first drawn on a tie.
        var indices = Enumerable.Range(0, population.Count).ToArray();
        var draws = Math.Min(SampleSize, indices.Length);
        Member? best = null;
        for (var i = 0; i < draws; i++)
        {
            var j = i + random.NextInt32(indices.Length - i);
            (indices[i], indices[j]) = (indices[j], indices[i]);
            var candidate = population[indices[i]];
            if (best is null || candidate.Score > best.Score)
            {
                best = candidate;
            }
        }

        return best!.Sample;
    }

    private string ChooseDecision(SearchSample parent)
    {
        var byRole = Space.Decisions.Where(d => parent.Contains(d.Label) && IsMutable(d))
            .GroupBy(d => d.Role)
            .OrderBy(g => g.Key)
            .ToArray();
        if (byRole.Length == 0)
        {
            throw new InvalidOperationException($"the parent {parent} has no active decision evolution may change");
        }

        var group = byRole[random.NextInt32(byRole.Length)].ToArray();
        return group[random.NextInt32(group.Length)].Label;
    }

    private sealed record Member(SearchSample Sample, double Score);

    private sealed record SavedMember(string Sample, double Score);

    private sealed record State(string Strategy, string Space, ulong[] Random, int PopulationSize, int SampleSize, int InitialDrawn, SavedMember[]? Population, string[]? InitialPending);
}
