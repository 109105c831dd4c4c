using AutoNet.Search.Spaces;

namespace AutoNet.Search.Strategies;

/// <summary>
/// What to try next, as ask/tell over one <see cref="SearchSpace"/>. The coordinator asks for a point, trains it
/// (or reuses the result of an identical earlier point) and tells the score back; strategies never see trials,
/// devices or the store. Calls come from one thread, never concurrently. A strategy's whole state, its random
/// generator included, round-trips through <see cref="SaveState"/>/<see cref="LoadState"/>, so a resumed search
/// proposes exactly what the uninterrupted one would have.
/// </summary>
public interface ISearchStrategy
{
    /// <summary>The name the command line and the store use ("random", "grid", "evolution", "rl", "tpe").</summary>
    string Name { get; }

    SearchSpace Space { get; }

    /// <summary>True once the strategy will never propose again (a grid that is done).</summary>
    bool IsExhausted { get; }

    /// <summary>The next point to try; null when it has nothing to propose until more results are told.</summary>
    SearchSample? Ask();

    /// <summary>
    /// The result of a point this strategy proposed: the score to maximise (validation accuracy), or null when
    /// the trial failed or was rejected. Points may be told in any order, and more than once for duplicates.
    /// </summary>
    void Tell(SearchSample sample, double? score);

    /// <summary>Everything needed to continue exactly where the strategy is now.</summary>
    byte[] SaveState();

    /// <summary>Restores a state saved by the same strategy over the same space; a foreign state is a clear error.</summary>
    void LoadState(ReadOnlySpan<byte> state);
}
