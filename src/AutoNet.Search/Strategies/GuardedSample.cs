using AutoNet.Models;
using AutoNet.Search.Spaces;

namespace AutoNet.Search.Strategies;

/// <summary>A point within the space's bounds, with its size when it could be counted, and how many points were rejected before it.</summary>
public sealed record GuardedSample(SearchSample Sample, ModelComplexity? Complexity, int Rejected)
{
    /// <summary>FLOPs per image as the bounds count them: 2 × multiply-adds.</summary>
    public long? Flops => Complexity is { } c ? 2 * c.MultiplyAdds : null;
}
