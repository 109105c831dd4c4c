using AutoNet.Data.Decoding;

namespace AutoNet.Data.Cache;

/// <summary>
/// What the decoded cache holds: images at <see cref="Height"/> × <see cref="Width"/>, with the channels of
/// <see cref="Color"/>, fitted by <see cref="Fit"/>. <see cref="HashContents"/> adds every file's SHA-256 to the
/// data set's fingerprint (slower; catches changes that keep a file's size and time). <see cref="Threads"/> decoder
/// threads build it; it is not part of what is cached.
/// </summary>
public sealed record DecodedCacheSettings(int Height, int Width)
{
    public ColorMode Color { get; init; } = ColorMode.Auto;

    public ImageFit Fit { get; init; } = ImageFit.CenterCrop;

    public bool HashContents { get; init; }

    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the bad setting.</summary>
    public void Validate()
    {
        if (Height <= 0 || Width <= 0 || Height > 16384 || Width > 16384)
        {
            throw new ArgumentException($"the cache resolution must be between 1 and 16384 pixels a side, got {Height} x {Width}");
        }

        if (Threads <= 0)
        {
            throw new ArgumentException($"the cache needs at least one decoder thread, got {Threads}");
        }
    }
}
