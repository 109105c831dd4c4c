using AutoNet.Data.Splits;

namespace AutoNet.Data.Cache;

/// <summary>One split's file in a decoded cache: its samples and their count per class (by label).</summary>
public sealed record DecodedCachePart(SplitPart Part, int Count, IReadOnlyList<int> ClassCounts);
