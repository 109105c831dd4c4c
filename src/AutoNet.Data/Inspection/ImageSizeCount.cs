namespace AutoNet.Data.Inspection;

/// <summary>How many images have one size.</summary>
public sealed record ImageSizeCount(int Width, int Height, int Count);
