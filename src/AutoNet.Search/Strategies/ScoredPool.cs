using AutoNet.Search.Spaces;

namespace AutoNet.Search.Strategies;

/// <summary>
/// What a proxy or one-shot search kept of its warm-up (read from its saved state, for the dashboard): which strategy and
/// proxy, how many networks it judged, and the best-scored points it kept, best first.
/// </summary>
public sealed record ScoredPool(string Strategy, string Proxy, int PoolSize, IReadOnlyList<(SearchSample Sample, double Score)> Points);
