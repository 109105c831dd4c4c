using System.Numerics;
using AutoNet.Search.Spaces;

namespace AutoNet.Search.Strategies;

/// <summary>
/// Every point of a small discrete space exactly once, in <see cref="SearchGrid"/>'s stable order, then exhausted.
/// Results are ignored. A space with a continuous decision, or with more points than the limit, is refused when the
/// strategy is created, naming the decision (or the largest domains).
/// </summary>
public sealed class GridSearch : ISearchStrategy
{
    private IEnumerator<SearchSample>? cursor;
    private long position;

    public GridSearch(SearchSpace space, long limit = SearchGrid.DefaultLimit)
    {
        ArgumentNullException.ThrowIfNull(space);
        Space = space;
        // Enumerate checks for continuous decisions and the limit at once, before anything is walked.
        _ = SearchGrid.Enumerate(space, limit);
        Count = (long)(SearchGrid.Count(space).Count ?? BigInteger.Zero);
    }

    public string Name => "grid";

    public SearchSpace Space { get; }

    /// <summary>The number of points the grid walks.</summary>
    public long Count { get; }

    /// <summary>How many points were proposed so far.</summary>
    public long Position => position;

    public bool IsExhausted => position >= Count;

    public SearchSample? Ask()
    {
        if (IsExhausted)
        {
            return null;
        }

        if (cursor is null)
        {
            cursor = SearchGrid.Enumerate(Space, Math.Max(Count, 1)).GetEnumerator();
            for (var i = 0L; i < position; i++)
            {
                cursor.MoveNext();
            }
        }

        cursor.MoveNext();
        position++;
        return cursor.Current;
    }

    public void Tell(SearchSample sample, double? score) => ArgumentNullException.ThrowIfNull(sample);

    public byte[] SaveState() => StrategyState.Write(new State(Name, Space.Name, position, Count));

    public void LoadState(ReadOnlySpan<byte> state)
    {
        var saved = StrategyState.Read<State>(state, this, s => (s.Strategy, s.Space));
        if (saved.Count != Count || saved.Position < 0 || saved.Position > Count)
        {
            throw new ArgumentException($"the saved grid state is at point {saved.Position} of {saved.Count}; this grid over '{Space.Name}' has {Count} points", nameof(state));
        }

        cursor?.Dispose();
        cursor = null;
        position = saved.Position;
    }

    private sealed record State(string Strategy, string Space, long Position, long Count);
}
