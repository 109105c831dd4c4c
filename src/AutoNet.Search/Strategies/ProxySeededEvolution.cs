using AutoNet.Search.Spaces;

namespace AutoNet.Search.Strategies;

/// <summary>
/// Regularized evolution warmed up by a zero-cost proxy (Abdelfattah et al. 2021, "Zero-Cost Proxies for Lightweight
/// NAS"): before the first trial, <see cref="PoolSize"/> random points are scored without training and the first
/// population is the best-scored of them instead of random draws; afterwards each child is the best-scored of
/// <see cref="ChildCandidates"/> mutations of the tournament's winner. Training results alone decide parenthood and
/// survival, as in plain evolution, so a proxy that misleads costs the first population's quality, not the search.
/// <para>
/// With <c>evolvePool</c> it is the one-shot strategy (SPOS, Guo et al. 2020): the scorer is a trained weight-sharing
/// supernet, and the pool is not drawn at random but found by an evolutionary search of <see cref="PoolSize"/>
/// networks on the supernet (population <see cref="PoolPopulationSize"/>, tournament <see cref="PoolSampleSize"/>,
/// architecture decisions only); the best of them are then trained stand-alone as ordinary trials.
/// </para>
/// </summary>
public sealed class ProxySeededEvolution : ISearchStrategy
{
    public const int DefaultPoolSize = 500;

    public const int DefaultChildCandidates = 4;

    /// <summary>The evolved pool's population and tournament (SPOS evolves 50 networks a generation, parents from the best).</summary>
    public const int PoolPopulationSize = 50;

    public const int PoolSampleSize = 10;

    private readonly IArchitectureScorer scorer;
    private readonly Dictionary<string, double?> scoredArchitectures = new(StringComparer.Ordinal);
    private readonly RegularizedEvolution evolution;
    private SearchRandom random;
    private List<ScoredPoint>? pool;
    private int nextInPool;

    /// <param name="space">The space to search (a cell or macro space: the proxy builds its networks).</param>
    /// <param name="seed">Seeds the pool's draws and the evolution.</param>
    /// <param name="scorer">Scores points without training.</param>
    /// <param name="poolSize">How many random points are scored before the first proposal.</param>
    /// <param name="childCandidates">How many mutations compete, by score, to be each child (1 is plain evolution).</param>
    /// <param name="populationSize">The evolution's population (P).</param>
    /// <param name="sampleSize">The evolution's tournament (S).</param>
    /// <param name="evolvePool">Finds the pool by evolution on the scorer instead of random draws (the one-shot strategy).</param>
    public ProxySeededEvolution(SearchSpace space, long seed, IArchitectureScorer scorer, int poolSize = DefaultPoolSize,
        int childCandidates = DefaultChildCandidates, int populationSize = RegularizedEvolution.DefaultPopulationSize,
        int sampleSize = RegularizedEvolution.DefaultSampleSize, bool evolvePool = false)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentOutOfRangeException.ThrowIfLessThan(poolSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(childCandidates, 1);
        if (space.Kind is not (SearchSpaceKind.Cell or SearchSpaceKind.Macro))
        {
            throw new ArgumentException(
                $"the {(evolvePool ? "one-shot" : "proxy")} strategy scores networks it builds from cell or macro spaces; '{space.Name}' is a {space.Kind.ToString().ToLowerInvariant()} space", nameof(space));
        }

        Space = space;
        EvolvesPool = evolvePool;
        this.scorer = scorer;
        PoolSize = poolSize;
        ChildCandidates = childCandidates;
        random = new SearchRandom(seed);
        evolution = new RegularizedEvolution(space, StrategyFactory.Derived(seed), populationSize, sampleSize, mutableRoles: null,
            new EvolutionProposals(DrawInitial, PickChild));
    }

    public string Name => EvolvesPool ? "oneshot" : "proxy";

    /// <summary>Whether the pool is found by evolution on the scorer (one-shot) rather than drawn at random.</summary>
    public bool EvolvesPool { get; }

    public SearchSpace Space { get; }

    public string Proxy => scorer.Proxy;

    public int PoolSize { get; }

    public int ChildCandidates { get; }

    /// <summary>The best-scored points of the warm-up pool, best first (empty until the first proposal).</summary>
    public IReadOnlyList<(SearchSample Sample, double Score)> Pool => [.. (pool ?? []).Select(p => (p.Sample, p.Score))];

    public bool IsExhausted => false;

    public SearchSample? Ask() => evolution.Ask();

    public void Tell(SearchSample sample, double? score) => evolution.Tell(sample, score);

    public byte[] SaveState() => StrategyState.Write(new State(Name, Space.Name, scorer.Proxy, PoolSize, ChildCandidates, [.. random.State],
        pool?.Select(p => new SavedPoint(StrategyState.Sample(p.Sample), p.Score)).ToArray(), nextInPool, evolution.SaveState()));

    public void LoadState(ReadOnlySpan<byte> state)
    {
        var saved = StrategyState.Read<State>(state, this, s => (s.Strategy, s.Space));
        if (saved.Proxy != scorer.Proxy || saved.PoolSize != PoolSize || saved.ChildCandidates != ChildCandidates)
        {
            throw new ArgumentException(
                $"the saved proxy state scores with '{saved.Proxy}' over a pool of {saved.PoolSize} and {saved.ChildCandidates} mutations per child; " +
                $"this one with '{scorer.Proxy}', {PoolSize} and {ChildCandidates}", nameof(state));
        }

        var restoredPool = saved.Pool?.Select(p => new ScoredPoint(StrategyState.Sample(p.Sample), p.Score)).ToList();
        evolution.LoadState(saved.Evolution ?? throw new ArgumentException("the saved proxy state has no evolution state", nameof(state)));
        random = StrategyState.Random(saved.Random, Name);
        pool = restoredPool;
        nextInPool = saved.NextInPool;
    }

    /// <summary>
    /// The warm-up pool a saved state of this strategy holds, or null for another strategy's state (or none): readers such
    /// as the dashboard see the proxy's scores without building the strategy.
    /// </summary>
    public static ScoredPool? ReadPool(ReadOnlySpan<byte> state)
    {
        try
        {
            var saved = System.Text.Json.JsonSerializer.Deserialize<State>(state);
            return saved is { Strategy: "proxy" or "oneshot", Proxy: not null, Pool: not null }
                ? new ScoredPool(saved.Strategy, saved.Proxy, saved.PoolSize, [.. saved.Pool.Select(p => (StrategyState.Sample(p.Sample), p.Score))])
                : null;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException)
        {
            // A state damaged or written by another strategy: no scores to show.
            return null;
        }
    }

    private SearchSample DrawInitial()
    {
        pool ??= EvolvesPool ? EvolvePool() : ScorePool();
        return nextInPool < pool.Count ? pool[nextInPool++].Sample : Space.Sample(random);
    }

    /// <summary>
    /// Draws <see cref="PoolSize"/> distinct points and keeps the best-scored ones, enough for the first population
    /// several times over (a member that fails is replaced by the next); unscored points are left out.
    /// </summary>
    private List<ScoredPoint> ScorePool()
    {
        // One point per architecture: the proxy does not see the training recipe, so two recipes of one network tie.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var scored = new List<ScoredPoint>();
        for (var draws = 0; draws < PoolSize * 4 && seen.Count < PoolSize; draws++)
        {
            var sample = Space.Sample(random);
            if (seen.Add(ArchitectureKey(sample)) && Score(sample) is { } score)
            {
                scored.Add(new ScoredPoint(sample, score));
            }
        }

        return BestFirst(scored);
    }

    /// <summary>
    /// Evolves <see cref="PoolSize"/> distinct networks on the scorer (regularized evolution over the architecture
    /// decisions, each score a few hundred milliseconds on a supernet) and keeps the best-scored, as
    /// <see cref="ScorePool"/> does; the hyperparameters of the pool's points are those of the random draws they
    /// descend from, and the trials' evolution changes them later.
    /// </summary>
    private List<ScoredPoint> EvolvePool()
    {
        var search = new RegularizedEvolution(Space, unchecked((long)random.NextUInt64()), Math.Min(PoolPopulationSize, PoolSize),
            Math.Min(PoolSampleSize, PoolSize), Space.Decisions.Any(d => d.Role != DecisionRole.Hyperparameter)
                ? Enum.GetValues<DecisionRole>().Where(r => r != DecisionRole.Hyperparameter) : null);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var scored = new List<ScoredPoint>();
        // Networks the bounds reject are not judged and do not count; a small space ends the search when its asks run out.
        for (var asks = 0; asks < PoolSize * 10 && scored.Count < PoolSize; asks++)
        {
            var sample = search.Ask()!;
            var score = Score(sample);
            search.Tell(sample, score);
            if (seen.Add(ArchitectureKey(sample)) && score is { } value)
            {
                scored.Add(new ScoredPoint(sample, value));
            }
        }

        return BestFirst(scored);
    }

    /// <summary>Best first, enough for the first population three times over; equal scores keep their order, so the same seed gives the same pool.</summary>
    private List<ScoredPoint> BestFirst(List<ScoredPoint> scored) =>
        [.. scored.Select((p, i) => (p, i)).OrderByDescending(x => x.p.Score).ThenBy(x => x.i).Select(x => x.p).Take(evolution.PopulationSize * 3)];

    private SearchSample PickChild(Func<SearchSample> mutate)
    {
        SearchSample? best = null;
        var bestScore = double.NegativeInfinity;
        for (var i = 0; i < ChildCandidates; i++)
        {
            var child = mutate();
            var score = Score(child) ?? double.NegativeInfinity;
            if (best is null || score > bestScore)
            {
                (best, bestScore) = (child, score);
            }
        }

        return best!;
    }

    /// <summary>The proxy's score of the network <paramref name="sample"/> builds, asked once per architecture (and input resolution).</summary>
    private double? Score(SearchSample sample)
    {
        var key = ArchitectureKey(sample);
        if (!scoredArchitectures.TryGetValue(key, out var score))
        {
            score = scorer.Score(sample) is { } value && double.IsFinite(value) ? value : null;
            scoredArchitectures[key] = score;
        }

        return score;
    }

    private string ArchitectureKey(SearchSample sample) => string.Join("\n", sample.Entries
        .Where(e => e.Key == SpaceLabels.InputResolution || !Space.TryGetDecision(e.Key, out var d) || d.Role != DecisionRole.Hyperparameter)
        .Select(e => $"{e.Key}={e.Value}"));

    private sealed record ScoredPoint(SearchSample Sample, double Score);

    private sealed record SavedPoint(string Sample, double Score);

    private sealed record State(string Strategy, string Space, string Proxy, int PoolSize, int ChildCandidates, ulong[] Random, SavedPoint[]? Pool,
        int NextInPool, byte[]? Evolution);
}
