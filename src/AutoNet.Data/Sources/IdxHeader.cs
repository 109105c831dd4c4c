namespace AutoNet.Data.Sources;

/// <summary>An IDX file's header: element type code (0x08 = unsigned byte), dimensions, and whether it is gzip-compressed.</summary>
public sealed record IdxHeader(int ElementType, IReadOnlyList<int> Dimensions, bool Gzip)
{
    /// <summary>Bytes of data the dimensions call for (for unsigned bytes).</summary>
    public long DataLength => Dimensions.Aggregate(1L, (product, d) => product * d);
}
