using System.Numerics;

namespace AutoNet.Search.Spaces;

/// <summary>The number of points of a space, or why it has infinitely many (a continuous decision).</summary>
public sealed record GridSize(BigInteger? Count, string? InfiniteBecause)
{
    public bool IsFinite => Count is not null;

    public override string ToString() => Count is { } count ? count.ToString("N0", null) + " points" : $"infinite ({InfiniteBecause})";
}
