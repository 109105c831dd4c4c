using AutoNet.Search.Strategies;

namespace AutoNet.Scheduling.Experiments;

/// <summary>A search strategy and its native memory: strategies holding some (the RL controller) are disposable, the rest are not.</summary>
public sealed class OwnedStrategy(ISearchStrategy strategy) : IDisposable
{
    public ISearchStrategy Strategy { get; } = strategy;

    public void Dispose() => (Strategy as IDisposable)?.Dispose();
}
