using System.Text.Json;
using AutoNet.Search.Spaces;
using AutoNet.Search.Strategies;

namespace AutoNet.Scheduling.Tests;

/// <summary>A strategy that proposes a fixed list of points in order and records what it is told; its state is its position.</summary>
internal sealed class ScriptedStrategy(SearchSpace space, IReadOnlyList<SearchSample> script) : ISearchStrategy
{
    private int position;

    public List<(SearchSample Sample, double? Score)> Told { get; } = [];

    public string Name => "scripted";

    public SearchSpace Space => space;

    public bool IsExhausted => position >= script.Count;

    public SearchSample? Ask() => IsExhausted ? null : script[position++];

    public void Tell(SearchSample sample, double? score) => Told.Add((sample, score));

    public byte[] SaveState() => JsonSerializer.SerializeToUtf8Bytes(position);

    public void LoadState(ReadOnlySpan<byte> state) => position = JsonSerializer.Deserialize<int>(state);
}
