namespace AutoNet.Search.Spaces;

/// <summary>What a space searches: NASNet/DARTS cells, a plain conv stack, or a pretrained backbone with a head.</summary>
public enum SearchSpaceKind
{
    Cell,
    Macro,
    Transfer,
}
