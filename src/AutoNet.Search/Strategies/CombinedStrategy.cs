using AutoNet.Search.Spaces;

namespace AutoNet.Search.Strategies;

/// <summary>
/// An architecture strategy paired with TPE for the hyperparameters: the architecture strategy proposes a point, its
/// architecture decisions (cells, ops, inputs, <c>arch/</c> choices) are kept, and TPE chooses every <c>hp/</c>
/// decision from its own model of the results, conditioned on nothing else (univariate TPE). Each side is told
/// the result: the architecture strategy for the point it proposed (so an RL controller credits its own choices, an
/// evolution keeps its own lineage), TPE for the point trained.
/// </summary>
public sealed class CombinedStrategy : ISearchStrategy, IDisposable
{
    private readonly Dictionary<string, string> pending = new(StringComparer.Ordinal);

    public CombinedStrategy(ISearchStrategy architecture, TpeStrategy hyperparameters)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(hyperparameters);
        if (!ReferenceEquals(architecture.Space, hyperparameters.Space) && architecture.Space.Name != hyperparameters.Space.Name)
        {
            throw new ArgumentException(
                $"the architecture strategy searches '{architecture.Space.Name}' and TPE '{hyperparameters.Space.Name}'; both must search one space", nameof(hyperparameters));
        }

        if (architecture is TpeStrategy)
        {
            throw new ArgumentException("the architecture strategy is TPE already; use TpeStrategy alone", nameof(architecture));
        }

        Architecture = architecture;
        Hyperparameters = hyperparameters;
    }

    public string Name => Architecture.Name + "+tpe";

    public SearchSpace Space => Architecture.Space;

    public ISearchStrategy Architecture { get; }

    public TpeStrategy Hyperparameters { get; }

    public bool IsExhausted => Architecture.IsExhausted;

    public SearchSample? Ask()
    {
        if (Architecture.Ask() is not { } proposed)
        {
            return null;
        }

        var sample = Hyperparameters.Propose(proposed, d => d.Role == DecisionRole.Hyperparameter);
        pending[sample.Hash] = StrategyState.Sample(proposed);
        return sample;
    }

    public void Tell(SearchSample sample, double? score)
    {
        ArgumentNullException.ThrowIfNull(sample);
        Architecture.Tell(pending.Remove(sample.Hash, out var proposed) ? StrategyState.Sample(proposed) : sample, score);
        Hyperparameters.Tell(sample, score);
    }

    public byte[] SaveState() => StrategyState.Write(new State(Name, Space.Name, Architecture.SaveState(), Hyperparameters.SaveState(),
        [.. pending.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new Pending(p.Key, p.Value))]));

    public void LoadState(ReadOnlySpan<byte> state)
    {
        var saved = StrategyState.Read<State>(state, this, s => (s.Strategy, s.Space));
        Architecture.LoadState(saved.Architecture ?? throw new ArgumentException($"the saved {Name} state has no architecture part", nameof(state)));
        Hyperparameters.LoadState(saved.Hyperparameters ?? throw new ArgumentException($"the saved {Name} state has no tpe part", nameof(state)));
        pending.Clear();
        foreach (var p in saved.Pending ?? [])
        {
            pending[p.Hash] = p.Proposed;
        }
    }

    public void Dispose() => (Architecture as IDisposable)?.Dispose();

    private sealed record Pending(string Hash, string Proposed);

    private sealed record State(string Strategy, string Space, byte[]? Architecture, byte[]? Hyperparameters, Pending[]? Pending);
}
