namespace AutoNet.Data.Augmentation;

/// <summary>A rectangle of an image in pixels: rows [Top, Top + Height), columns [Left, Left + Width).
/// An empty box (zero height or width) marks a sample an augmentation leaves alone.</summary>
public readonly record struct AugmentBox(int Top, int Left, int Height, int Width)
{
    public static AugmentBox Empty => default;

    public bool IsEmpty => Height <= 0 || Width <= 0;

    public long Area => IsEmpty ? 0 : (long)Height * Width;

    public int Bottom => Top + Height;

    public int Right => Left + Width;
}
