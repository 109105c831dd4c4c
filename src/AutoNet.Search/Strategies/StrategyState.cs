using System.Text.Json;
using AutoNet.Search.Spaces;

namespace AutoNet.Search.Strategies;

/// <summary>
/// Reading and writing the JSON state every strategy saves: a record that names the strategy and the space, so a
/// state saved by another strategy, or over another space, is refused with both names instead of being misread.
/// </summary>
internal static class StrategyState
{
    public static byte[] Write<T>(T state) => JsonSerializer.SerializeToUtf8Bytes(state);

    public static T Read<T>(ReadOnlySpan<byte> state, ISearchStrategy strategy, Func<T, (string? Strategy, string? Space)> names)
        where T : class
    {
        T? saved;
        try
        {
            saved = JsonSerializer.Deserialize<T>(state);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"the saved {strategy.Name} state is not valid JSON: {e.Message}", nameof(state), e);
        }

        var (name, space) = saved is null ? (null, null) : names(saved);
        if (saved is null || name != strategy.Name || space != strategy.Space.Name)
        {
            throw new ArgumentException(
                $"the saved state is for strategy '{name}' over space '{space}'; expected '{strategy.Name}' over '{strategy.Space.Name}'",
                nameof(state));
        }

        return saved;
    }

    public static SearchRandom Random(ulong[]? state, string strategy) =>
        state is { Length: 4 } ? SearchRandom.FromState(state) : throw new ArgumentException($"the saved {strategy} state has no random generator state", nameof(state));

    /// <summary>A sample as stored in a state: its JSON in entry order (floats round-trip exactly).</summary>
    public static string Sample(SearchSample sample) => sample.ToJson(indented: false);

    public static SearchSample Sample(string json) => SearchSample.FromJson(json);
}
