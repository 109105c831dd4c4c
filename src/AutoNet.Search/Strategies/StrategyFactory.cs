using AutoNet.Search.Spaces;

namespace AutoNet.Search.Strategies;

/// <summary>The strategies by the names the command line and the store use.</summary>
public static class StrategyFactory
{
    /// <summary>
    /// Every name <see cref="Create"/> knows: the five strategies, and each architecture strategy with TPE choosing
    /// the hyperparameters (<see cref="CombinedStrategy"/>).
    /// </summary>
    public static IReadOnlyList<string> Names { get; } = ["random", "grid", "evolution", "rl", "tpe", "proxy", "oneshot", "random+tpe", "evolution+tpe", "rl+tpe"];

    /// <summary>Networks a search's one-shot strategy judges on its supernet before the first trial (SPOS judges 1,000 over 20 generations).</summary>
    public const int OneShotPoolSize = 500;

    /// <summary>Whether the strategy <paramref name="name"/> needs an <see cref="IArchitectureScorer"/> to be created.</summary>
    public static bool NeedsScorer(string name) => name is "proxy" or "oneshot";

    /// <summary>
    /// A new strategy over <paramref name="space"/>, seeded by <paramref name="seed"/> (grid search draws nothing).
    /// Strategies holding native memory (rl) are <see cref="IDisposable"/>. The proxy strategy needs
    /// <paramref name="scorer"/> and scores <paramref name="poolSize"/> random points before its first proposal; the
    /// one-shot strategy needs a supernet as its scorer and evolves <paramref name="poolSize"/> networks on it.
    /// </summary>
    public static ISearchStrategy Create(string name, SearchSpace space, long seed, IArchitectureScorer? scorer = null,
        int poolSize = ProxySeededEvolution.DefaultPoolSize)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(space);
        return name switch
        {
            "random" => new RandomSearch(space, seed),
            "grid" => new GridSearch(space),
            "evolution" => new RegularizedEvolution(space, seed),
            "rl" => new ReinforceStrategy(space, seed),
            "tpe" => new TpeStrategy(space, seed),
            "proxy" => new ProxySeededEvolution(space, seed,
                scorer ?? throw new ArgumentException("the proxy strategy needs a zero-cost scorer of the experiment's data", nameof(scorer)), poolSize),
            "oneshot" => new ProxySeededEvolution(space, seed,
                scorer ?? throw new ArgumentException("the one-shot strategy needs a supernet scorer of the experiment's data", nameof(scorer)),
                poolSize, evolvePool: true),
            // The two sides draw from different streams, so neither's sequence depends on how often the other draws.
            "random+tpe" => new CombinedStrategy(new RandomSearch(space, seed), new TpeStrategy(space, Derived(seed))),
            "evolution+tpe" => new CombinedStrategy(
                new RegularizedEvolution(space, seed, mutableRoles: [DecisionRole.CellInput, DecisionRole.CellOp, DecisionRole.Architecture]),
                new TpeStrategy(space, Derived(seed))),
            "rl+tpe" => new CombinedStrategy(
                new ReinforceStrategy(space, seed, decisions: d => d.Role != DecisionRole.Hyperparameter),
                new TpeStrategy(space, Derived(seed))),
            _ => throw new ArgumentException($"unknown search strategy '{name}'; expected one of: {string.Join(", ", Names)}", nameof(name)),
        };
    }

    /// <summary>
    /// Refuses, with the reason, a strategy that cannot search <paramref name="space"/>, before anything is stored;
    /// nothing is scored (the proxy strategy is checked with a scorer that is never called).
    /// </summary>
    public static void Validate(string name, SearchSpace space)
    {
        var strategy = Create(name, space, seed: 0, NeedsScorer(name) ? new UnusedScorer() : null);
        (strategy as IDisposable)?.Dispose();
    }

    /// <summary>A second seed from <paramref name="seed"/>, for a part of a strategy that draws from its own stream.</summary>
    internal static long Derived(long seed) => unchecked((seed * 6364136223846793005L) + 1442695040888963407L);

    private sealed class UnusedScorer : IArchitectureScorer
    {
        public string Proxy => "none";

        public double? Score(SearchSample sample) => throw new InvalidOperationException("the strategy was created to be checked, not to search");
    }
}
