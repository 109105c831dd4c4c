using AutoNet.Search.Spaces;

namespace AutoNet.Search.Strategies;

/// <summary>The strategies by the names the command line and the store use.</summary>
public static class StrategyFactory
{
    /// <summary>
    /// Every name <see cref="Create"/> knows: the five strategies, and each architecture strategy with TPE choosing
    /// the hyperparameters (<see cref="CombinedStrategy"/>).
    /// </summary>
    public static IReadOnlyList<string> Names { get; } = ["random", "grid", "evolution", "rl", "tpe", "random+tpe", "evolution+tpe", "rl+tpe"];

    /// <summary>
    /// A new strategy over <paramref name="space"/>, seeded by <paramref name="seed"/> (grid search draws nothing).
    /// Strategies holding native memory (rl) are <see cref="IDisposable"/>.
    /// </summary>
    public static ISearchStrategy Create(string name, SearchSpace space, long seed)
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

    private static long Derived(long seed) => unchecked((seed * 6364136223846793005L) + 1442695040888963407L);
}
