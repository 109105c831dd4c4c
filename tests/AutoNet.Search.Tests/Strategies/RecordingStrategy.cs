using AutoNet.Search.Spaces;
using AutoNet.Search.Strategies;

namespace AutoNet.Search.Tests.Strategies;

/// <summary>Passes everything to another strategy and records what it proposed and what it was told.</summary>
internal sealed class RecordingStrategy(ISearchStrategy inner) : ISearchStrategy
{
    public List<SearchSample> Asked { get; } = [];

    public List<(SearchSample Sample, double? Score)> Told { get; } = [];

    public string Name => inner.Name;

    public SearchSpace Space => inner.Space;

    public bool IsExhausted => inner.IsExhausted;

    public SearchSample? Ask()
    {
        var sample = inner.Ask();
        if (sample is not null)
        {
            Asked.Add(sample);
        }

        return sample;
    }

    public void Tell(SearchSample sample, double? score)
    {
        Told.Add((sample, score));
        inner.Tell(sample, score);
    }

    public byte[] SaveState() => inner.SaveState();

    public void LoadState(ReadOnlySpan<byte> state) => inner.LoadState(state);
}
