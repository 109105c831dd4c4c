using System.Text.Json;
using AutoNet.Search.Spaces;

namespace AutoNet.Search.Strategies;

/// <summary>
/// Independent uniform samples of the space (log-uniform for log-scale values, conditionals honoured) — the
/// baseline every NAS paper reports and the one that smarter strategies have to beat. Results are ignored.
/// </summary>
public sealed class RandomSearch : ISearchStrategy
{
    private SearchRandom random;

    public RandomSearch(SearchSpace space, long seed)
    {
        ArgumentNullException.ThrowIfNull(space);
        Space = space;
        random = new SearchRandom(seed);
    }

    public string Name => "random";

    public SearchSpace Space { get; }

    public bool IsExhausted => false;

    public SearchSample? Ask() => Space.Sample(random);

    public void Tell(SearchSample sample, double? score) => ArgumentNullException.ThrowIfNull(sample);

    public byte[] SaveState() => JsonSerializer.SerializeToUtf8Bytes(new State(Name, Space.Name, [.. random.State]));

    public void LoadState(ReadOnlySpan<byte> state)
    {
        State? saved;
        try
        {
            saved = JsonSerializer.Deserialize<State>(state);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"the saved random-search state is not valid JSON: {e.Message}", nameof(state), e);
        }

        if (saved is null || saved.Strategy != Name || saved.Space != Space.Name || saved.Random is not { Length: 4 })
        {
            throw new ArgumentException(
                $"the saved state is for strategy '{saved?.Strategy}' over space '{saved?.Space}'; expected '{Name}' over '{Space.Name}'",
                nameof(state));
        }

        random = SearchRandom.FromState(saved.Random);
    }

    private sealed record State(string Strategy, string Space, ulong[] Random);
}
