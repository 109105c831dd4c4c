using AutoNet.Search.Spaces;
using AutoNet.Search.Strategies;

namespace AutoNet.Search.Tests.Strategies;

/// <summary>
/// A stand-in zero-cost proxy: the <see cref="SyntheticObjective"/> of a point's architecture decisions only (a proxy
/// never sees hyperparameters train), counting its calls.
/// </summary>
internal sealed class SyntheticScorer(SearchSpace space) : IArchitectureScorer
{
    public string Proxy => "synthetic";

    public int Calls => Scored.Count;

    /// <summary>Every point scored, in order, with its score.</summary>
    public List<(SearchSample Sample, double Score)> Scored { get; } = [];

    public double? Score(SearchSample sample)
    {
        var score = SyntheticObjective.Score(space, sample, d => d.Role != DecisionRole.Hyperparameter);
        Scored.Add((sample, score));
        return score;
    }
}
