using AutoNet.Search.Spaces;

namespace AutoNet.Search.Strategies;

/// <summary>
/// A training-free score of a point, higher meaning more promising (a zero-cost proxy). The strategy sees only the
/// number: the scheduling layer, which knows the data and builds networks, computes it. A score must depend on the
/// point and the scorer's seed only, so a seeded search proposes the same points every time.
/// </summary>
public interface IArchitectureScorer
{
    /// <summary>The proxy's name ("naswot", "synflow", "params", "flops"), stored with the strategy's state.</summary>
    string Proxy { get; }

    /// <summary>The score of <paramref name="sample"/>; null when it cannot be scored or would be rejected before training.</summary>
    double? Score(SearchSample sample);
}
