namespace AutoNet.Data.Decoding;

/// <summary>
/// An image's header: the size and channel count <see cref="ImageDecoder"/> would return (after EXIF orientation
/// when the decoder applies it), its format and its EXIF orientation (1–8; 1 when absent).
/// </summary>
public readonly record struct ImageInfo(int Width, int Height, int Channels, ImageFormat Format, int Orientation);
